"""Terraform configuration (``.tf``) reader: root modules, local child modules, instances.

Each directory passed in is a root module. Local ``module`` sources are followed with the
call's arguments bound to the child's variables and ``module.<name>`` address prefixes;
``count``/``for_each`` expand to instance addresses. Values are evaluated lazily, so a
resource is evaluated only when it is one the mapping reads or something refers to it.
What each resource type means is decided in ``terraform_resources``, shared with the plan reader.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from mtls_lint.model import Diagnostic, Fragment, Location, ResourceRef, Text, Unknown
from mtls_lint.readers import ReadContext
from mtls_lint.readers.hcl_ast import Block, Expr, Literal, ObjectExpr
from mtls_lint.readers.hcl_eval import Env, LazyObject, Value, evaluate
from mtls_lint.readers.hcl_instances import (
    Evaluated,
    Expansion,
    body_values,
    expand,
    freeze,
    provider_key,
    traversal_name,
)
from mtls_lint.readers.hcl_module import (
    ModuleCall,
    ModuleConfig,
    ResourceBlock,
    has_tf_files,
    load_module,
)
from mtls_lint.readers.terraform_address import key_suffix
from mtls_lint.readers.terraform_resources import (
    ATTRIBUTE_ALIASES,
    MAPPED_TYPES,
    READ_ARGUMENTS,
    map_resources,
)
from mtls_lint.readers.terraform_values import TfResource, as_unknown, protect

MAX_MODULE_DEPTH = 32
# Module instances below one root (count, for_each and nesting multiply): beyond, the rest is not read.
MAX_MODULE_INSTANCES = 1000
_Memo = dict[str, "tuple[Value, tuple[ResourceRef, ...]] | None"]


def read_terraform_modules(dirs: Sequence[Path], ctx: ReadContext) -> Fragment:
    """Read each directory as a root module (child modules are followed, not passed in)."""
    fragment = Fragment()
    loaded: dict[tuple[Path, bool], ModuleConfig] = {}  # a module shared by roots is parsed once
    reported: set[int] = set()
    files: set[str] = set()
    for directory in dirs:
        run = _Run(Path(directory), ctx, loaded)
        fragment.extend(map_resources(run.resources(), ctx))
        fragment.diagnostics.extend(run.diagnostics)
        for config in run.configs:
            fragment.files.extend(f for f in config.files if f not in files)
            files.update(config.files)
            if id(config) not in reported:
                reported.add(id(config))
                fragment.diagnostics.extend(config.diagnostics)
    return fragment


class _Run:
    """One root module and every module instance below it."""

    def __init__(self, root_dir: Path, ctx: ReadContext, loaded: dict[tuple[Path, bool], ModuleConfig]) -> None:
        self.root_dir = root_dir
        self.ctx = ctx
        self.source = ctx.display(root_dir)
        self._loaded = loaded
        self.configs: list[ModuleConfig] = []
        self.diagnostics: list[Diagnostic] = []

    def config(self, directory: Path, *, root: bool) -> ModuleConfig:
        key = (directory.resolve(), root)
        if key not in self._loaded:
            self._loaded[key] = load_module(directory, self.ctx, root=root)
        config = self._loaded[key]
        if not any(known is config for known in self.configs):
            self.configs.append(config)
        return config

    def resources(self) -> list[TfResource]:
        root = _Module(self, self.config(self.root_dir, root=True), prefix="", parent=None, call=None,
                       call_names={}, chain=(self.root_dir.resolve(),), ignore=frozenset(), condition=None)
        out: list[TfResource] = []
        pending = deque([root])
        count = 0
        while pending:
            module = pending.popleft()
            count += 1
            if count > MAX_MODULE_INSTANCES:
                self.diagnostics.append(Diagnostic(
                    "MTLS001", f"more than {MAX_MODULE_INSTANCES} module instances: "
                    f"{module.prefix.rstrip('.')} and the rest are not read", module.call_location()))
                break
            for resource in module.config.resources.values():
                if resource.type in MAPPED_TYPES:
                    out.extend(instance.to_resource() for instance in module.instances(resource))
            for call in module.config.calls.values():
                pending.extend(module.children(call))
        return out


class _Namespace(LazyObject):
    """``var``, ``local``, ``module``, ``data.<type>``, ``<resource type>``: attributes on demand."""

    __slots__ = ("_get",)

    def __init__(self, get: Callable[[str, Location, Env], Value]) -> None:
        self._get = get

    def get(self, name: str, loc: Location, env: Env) -> Value:
        return self._get(name, loc, env)


class _Module:
    """One instance of a module: its variables bound, its addresses prefixed."""

    def __init__(self, run: _Run, config: ModuleConfig, *, prefix: str, parent: _Module | None,
                 call: ModuleCall | None, call_names: Mapping[str, Value], chain: tuple[Path, ...],
                 ignore: frozenset[str], condition: str | None) -> None:
        self.run, self.config, self.prefix, self.parent, self.call = run, config, prefix, parent, call
        self.call_names = call_names  # count/each of this module instance, for its call arguments
        self.chain, self.ignore, self.condition = chain, ignore, condition
        root = run.root_dir.resolve()
        self.path_module = Path(os.path.relpath(config.dir.resolve(), root)).as_posix()
        self._vars: _Memo = {}
        self._locals: _Memo = {}
        self._outputs: _Memo = {}
        self._resources: dict[str, Expansion[_Instance]] = {}
        self._children: dict[str, Expansion[_Module] | Unknown] = {}
        self._providers: dict[str, tuple[_Module, Block]] | None = None

    def call_location(self) -> Location:
        return self.call.block.loc if self.call is not None else Location(self.run.source)

    def env(self, names: Mapping[str, Value] | None = None) -> Env:
        return Env(self.lookup, self.run.root_dir, names)

    # names --------------------------------------------------------------------------------
    def lookup(self, name: str, loc: Location, env: Env) -> Value:
        if name == "var":
            return _Namespace(self._variable)
        if name == "local":
            return _Namespace(lambda n, at, e: self._memo(self._locals, n, e, lambda refs: self._local(n, at, refs)))
        if name == "module":
            return _Namespace(self._module_value)
        if name == "path":
            return {"module": self.path_module, "root": ".", "cwd": str(self.run.root_dir)}
        if name == "terraform":
            return {"workspace": "default"}
        if name == "data":
            return _Namespace(lambda t, at, e: _Namespace(
                lambda n, at2, e2: self._resource_value(f"data.{t}.{n}", at2)))
        if name in ("count", "each", "self"):
            return Unknown(f"{name} is not available here", loc)
        return _Namespace(lambda n, at, e: self._resource_value(f"{name}.{n}", at))

    def _memo(self, cache: _Memo, name: str, env: Env,
              compute: Callable[[list[ResourceRef]], Value]) -> Value:
        if name in cache:
            entry = cache[name]
            if entry is None:
                return Unknown(f"{name} refers to itself")
            env.note(entry[1])
            return entry[0]
        cache[name] = None
        refs: list[ResourceRef] = []
        value = compute(refs)
        cache[name] = (value, tuple(refs))
        env.note(refs)
        return value

    def _variable(self, name: str, loc: Location, env: Env) -> Value:
        return self._memo(self._vars, name, env, lambda refs: self._variable_value(name, loc, refs))

    def _variable_value(self, name: str, loc: Location, refs: list[ResourceRef]) -> Value:
        block = self.config.variables.get(name)
        if block is None:
            return Unknown(f"var.{name} is not declared", loc)
        given = self.config.tfvars.get(name) if self.parent is None else (
            self.call.block.body.attributes.get(name) if self.call is not None else None)
        if given is not None:
            scope = (self.parent.env(self.call_names) if self.parent is not None else _literal_env(self))
            return evaluate(given.expr, scope.collecting(refs))
        default = block.body.attributes.get("default")
        if default is not None:
            return evaluate(default.expr, _literal_env(self))
        return Unknown(f"var.{name} has no default and no value in the configuration", loc)

    def _local(self, name: str, loc: Location, refs: list[ResourceRef]) -> Value:
        attribute = self.config.locals.get(name)
        if attribute is None:
            return Unknown(f"local.{name} is not declared", loc)
        return evaluate(attribute.expr, self.env().collecting(refs))

    def output(self, name: str, loc: Location, env: Env) -> Value:
        def compute(refs: list[ResourceRef]) -> Value:
            attribute = self.config.outputs.get(name)
            if attribute is None:
                return Unknown(f"module output {name} is not declared", loc)
            return evaluate(attribute.expr, self.env().collecting(refs))
        return self._memo(self._outputs, name, env, compute)

    # modules ------------------------------------------------------------------------------
    def _module_value(self, name: str, loc: Location, env: Env) -> Value:
        call = self.config.calls.get(name)
        if call is None:
            return Unknown(f"module.{name} is not declared", loc)
        expansion = self._expand_call(call)
        if isinstance(expansion, Unknown):
            return expansion
        return expansion.reference(lambda m: _Namespace(m.output), loc)

    def children(self, call: ModuleCall) -> list[_Module]:
        expansion = self._expand_call(call)
        return [] if isinstance(expansion, Unknown) else expansion.members()

    def _expand_call(self, call: ModuleCall) -> Expansion[_Module] | Unknown:
        if call.name not in self._children:
            self._children[call.name] = self._make_children(call)
        return self._children[call.name]

    def _make_children(self, call: ModuleCall) -> Expansion[_Module] | Unknown:
        source_attribute = call.block.body.attributes.get("source")
        source = evaluate(source_attribute.expr, self.env()) if source_attribute else None
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            return Unknown(f"module.{call.name} is not a local module; its source is not read", call.block.loc)
        directory = self.config.dir / source
        if directory.resolve() in self.chain or len(self.chain) >= MAX_MODULE_DEPTH or not has_tf_files(directory):
            return Unknown(f"module.{call.name} is not read (a cycle, too deep, or no .tf files)", call.block.loc)
        config = self.run.config(directory, root=False)

        def make(key: object, names: Mapping[str, Value], condition: str | None) -> _Module:
            conditions = " and ".join(c for c in (self.condition, condition) if c) or None
            return _Module(self.run, config, prefix=f"{self.prefix}module.{call.name}{key_suffix(key)}.",
                           parent=self, call=call, call_names=names, chain=self.chain + (directory.resolve(),),
                           ignore=self.ignore | call.ignore, condition=conditions)
        return expand(call.block, self.env(), f"module.{call.name}", make)

    # resources ----------------------------------------------------------------------------
    def _resource_value(self, key: str, loc: Location) -> Value:
        resource = self.config.resources.get(key)
        if resource is None:
            return Unknown(f"{key} is not declared in this module", loc)
        return self._expansion(resource).reference(lambda instance: instance, loc)

    def _expansion(self, resource: ResourceBlock) -> Expansion[_Instance]:
        if resource.key not in self._resources:
            def make(key: object, names: Mapping[str, Value], condition: str | None) -> _Instance:
                return _Instance(self, resource, key, names, condition)
            self._resources[resource.key] = expand(resource.block, self.env(), resource.key, make)
        return self._resources[resource.key]

    def instances(self, resource: ResourceBlock) -> list[_Instance]:
        return self._expansion(resource).members()

    # providers ----------------------------------------------------------------------------
    def provider(self, key: str) -> tuple[_Module, Block] | None:
        """The provider configuration (module instance, block) a provider key means here."""
        if self._providers is None:
            self._providers = self._provider_table()
        found = self._providers.get(key)
        if found is None and "." not in key and self.parent is not None and not self._explicit_providers():
            return self.parent.provider(key)  # default configurations are inherited implicitly
        return found

    def _explicit_providers(self) -> bool:
        return self.call is not None and "providers" in self.call.block.body.attributes

    def _provider_table(self) -> dict[str, tuple[_Module, Block]]:
        table: dict[str, tuple[_Module, Block]] = {}
        if self.parent is not None and self.call is not None and self._explicit_providers():
            mapping = provider_mapping(self.call.block.body.attributes["providers"].expr) or {}
            for child_key, parent_key in mapping.items():
                found = self.parent.provider(parent_key)
                if found is not None:
                    table[child_key] = found
        for block in self.config.providers:  # a module's own (legacy) provider blocks win
            alias = block.body.attributes.get("alias")
            alias_value = evaluate(alias.expr, self.env()) if alias is not None else None
            name = block.labels[0] + (f".{alias_value}" if isinstance(alias_value, str) else "")
            table[name] = (self, block)
        return table


def provider_mapping(expr: Expr) -> dict[str, str] | None:
    """A module call's ``providers = { aws = aws.west }``: child name -> parent name."""
    if not isinstance(expr, ObjectExpr):
        return None
    table: dict[str, str] = {}
    for key, value in expr.items:
        child = key.value if isinstance(key, Literal) and isinstance(key.value, str) else traversal_name(key)
        parent = traversal_name(value)
        if child and parent:
            table[child] = parent
    return table


def _literal_env(module: _Module) -> Env:
    """Variable defaults and tfvars may not refer to anything."""
    return Env(lambda name, loc, env: Unknown(f"{name} cannot be used here", loc), module.run.root_dir)


class _Instance(LazyObject):
    """One instance of a resource or data source; a ``LazyObject`` for references to it.

    Arguments are evaluated one at a time, when the mapping reads them or something refers to
    them: an argument nobody reads (``tags``) is never evaluated, however large it would be.
    """

    def __init__(self, module: _Module, resource: ResourceBlock, key: object, names: Mapping[str, Value],
                 condition: str | None) -> None:
        self.module, self.resource, self.key, self.names = module, resource, key, names
        self.address = f"{module.prefix}{resource.key}{key_suffix(key)}"
        self.condition = " and ".join(c for c in (module.condition, condition) if c) or None
        self._evaluated = Evaluated()
        self._done: set[str] = set()
        self._busy = False

    def get(self, name: str, loc: Location, env: Env) -> Value:
        run = self.module.run
        env.note([ResourceRef(run.source, self.address, name)])
        alias = ATTRIBUTE_ALIASES.get((self.resource.type, name))
        values = self.evaluated({name, alias} - {None})  # type: ignore[arg-type]
        if values is None:
            return Unknown(f"{self.address} refers to itself", loc)
        for attribute in (name, alias):
            if attribute is not None and values.values.get(attribute) is not None:
                return values.values[attribute]
        return ResourceRef(run.source, self.address, name)

    def evaluated(self, names: set[str] | frozenset[str]) -> Evaluated | None:
        """The values of ``names`` (and of whatever was evaluated before); None inside a cycle."""
        missing = frozenset(names) - self._done
        if missing:
            if self._busy:
                return None
            self._busy = True
            try:
                found = body_values(self.resource.block.body, self.module.env(self.names), top=True, only=missing)
            finally:
                self._busy = False
            self._done |= missing
            self._evaluated.values.update(found.values)
            self._evaluated.refs.update(found.refs)
            self._evaluated.locations.update(found.locations)
        return self._evaluated

    def to_resource(self) -> TfResource:
        module, run = self.module, self.module.run
        evaluated = self.evaluated(READ_ARGUMENTS[self.resource.type] | {"region"}) or Evaluated()
        values = protect({name: freeze(value, evaluated.locations.get(name))
                          for name, value in evaluated.values.items()}, committed=True)
        # Locations hold display paths: relative to the working directory, or absolute.
        account, region = run.ctx.placement(run.ctx.cwd / self.resource.block.loc.path)
        provider = module.provider(provider_key(self.resource))
        region_value: Text | None = region
        if isinstance(values.get("region"), str):  # AWS provider v6: a region per resource
            region_value = values["region"]
        elif provider is not None:
            owner, block = provider
            attribute = block.body.attributes.get("region")
            if attribute is not None:
                configured = evaluate(attribute.expr, owner.env())
                region_value = configured if isinstance(configured, str) else as_unknown(configured, attribute.loc)
            ids = block.body.attributes.get("allowed_account_ids")
            allowed = evaluate(ids.expr, owner.env()) if ids is not None else None
            if isinstance(allowed, list) and len(allowed) == 1 and isinstance(allowed[0], str):
                account = allowed[0]
        return TfResource(
            source=run.source, address=self.address, mode=self.resource.mode, type=self.resource.type,
            values=values, refs=evaluated.refs, location=self.resource.block.loc,
            field_locations=evaluated.locations, account=account, region=region_value,
            ignore=self.resource.ignore | module.ignore, condition=self.condition, base_dir=run.root_dir)
