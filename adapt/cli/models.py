"""`adapt models list` and `adapt models install`: which translation models exist and how to get them."""

from __future__ import annotations

from pathlib import Path

import click

from adapt.cli.common import emit, json_option, service


@click.group()
def models():
    """Translation models: the catalogue, installed packages, installing more."""


@models.command("list")
@click.option("--installed", "only_installed", is_flag=True, help="Only what can translate here now.")
@json_option
@click.pass_context
def list_models(ctx, only_installed, as_json):
    """The catalogue of known models (licence, how to install) and the installed Argos packages."""
    svc = service(ctx)
    rows = [(entry, installed) for entry, installed in svc.models.catalogue() if installed or not only_installed]
    packages = svc.models.argos_packages()
    payload = {"catalogue": [entry.to_json(installed) for entry, installed in rows],
               "argos_packages": [p.to_json() for p in packages]}
    lines = []
    for entry, installed in rows:
        mark = "✓ installed" if installed else "  not installed"
        lines.append(f"{mark}  [{entry.engine}] {entry.name}\n      pairs: {entry.pairs}"
                     f"\n      licence: {entry.licence}"
                     f"\n      install: {entry.install}\n      use: {entry.use}"
                     + (f"\n      note: {entry.notes}" if entry.notes else ""))
    lines.append("installed Argos packages: " + (", ".join(f"{p.source}→{p.target} ({p.name} {p.version})"
                                                            for p in packages) or "none"))
    from adapt.cli.models_routes import apertium_report, routes_report

    for key, (data, text) in {"apertium": apertium_report(), "routes": routes_report(svc)}.items():
        payload[key] = data
        lines.append(text)
    emit(as_json, payload, "\n".join(lines))


@models.command("install")
@click.argument("engine", type=click.Choice(["argos"]))
@click.argument("languages", nargs=-1)
@click.option("--file", "file", type=click.Path(path_type=Path), help="Install from a local .argosmodel (offline).")
@json_option
@click.pass_context
def install(ctx, engine, languages, file, as_json):
    """Install an Argos package: FROM TO from the Argos index (online), or --file X.argosmodel."""
    svc = service(ctx)
    if file is not None:
        if languages:
            raise click.UsageError("give either FROM TO or --file, not both")
        pkg = svc.models.install_argos_file(file)
    else:
        if len(languages) != 2:
            raise click.UsageError("give FROM TO (e.g. `adapt models install argos en es`) or --file X.argosmodel")
        pkg = svc.models.install_argos_pair(languages[0], languages[1])
    emit(as_json, pkg.to_json(),
         f"installed {pkg.name} ({pkg.source}→{pkg.target}, version {pkg.version}) in {pkg.path}")


COMMANDS = [models]
