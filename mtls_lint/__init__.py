"""mtls-lint: catch API Gateway mutual-TLS custom domain failures before deployment."""

__version__ = "0.1.0"
