from mtls_lint.cli import main

raise SystemExit(main())
