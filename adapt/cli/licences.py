"""Licence and attribution commands: `adapt license show|set|confirm|list` and `adapt attribution`."""

from __future__ import annotations

import click

from adapt.cli.common import actor, actor_option, emit, json_option, service


@click.group("license")
def license_group() -> None:
    """What a resource's licence allows; set, correct or confirm it."""


@license_group.command("show")
@click.argument("resource", type=int)
@json_option
@click.pass_context
def show(ctx, resource, as_json):
    """The licence of RESOURCE, where it was found, and what it allows for each action."""
    from adapt.licenses.report import format_report

    report = service(ctx).licences.report(resource)
    emit(as_json, report, format_report(report))


@license_group.command("set")
@click.argument("resource", type=int)
@click.argument("license_id", metavar="LICENSE")
@actor_option
@json_option
@click.pass_context
def set_(ctx, resource, license_id, as_json, **kw):
    """Set or correct the licence of RESOURCE (an id such as CC-BY-SA-4.0, a URL or a name)."""
    lic = service(ctx).licences.set_license(resource, license_id, actor=actor(ctx, kw.get("actor")))
    emit(as_json, {"resource": resource, "license": lic.to_json()},
         f"resource {resource}: licence set to {lic.cited()}")


@license_group.command("confirm")
@click.argument("resource", type=int)
@click.argument("license_id", metavar="LICENSE")
@click.option("--for", "action", type=click.Choice(["translate", "simplify", "tag", "export"]), default="translate",
              show_default=True, help="The action you are confirming it for.")
@actor_option
@json_option
@click.pass_context
def confirm(ctx, resource, license_id, action, as_json, **kw):
    """Confirm a licence for RESOURCE when its source states none (recorded with your name)."""
    check = service(ctx).licences.check(resource, action, license_id, actor=actor(ctx, kw.get("actor")))
    emit(as_json, check.to_json(),
         f"resource {resource}: {check.license.short} confirmed for {action}; " + check.verdict.message)


@license_group.command("list")
@json_option
def list_(as_json):
    """The licences OER Adapt knows and what each allows."""
    from adapt.licenses import ACTIONS, COMMON_LICENSES, UNKNOWN, verdict

    rows = []
    for lic in (*COMMON_LICENSES, UNKNOWN):
        rows.append({"license": lic.to_json(), "actions": {a: verdict(lic, a).outcome for a in ACTIONS}})
    header = f"{'licence':<18} " + " ".join(f"{a:<10}" for a in ACTIONS)
    lines = [header] + [
        f"{r['license']['id']:<18} " + " ".join(f"{r['actions'][a]:<10}" for a in ACTIONS) for r in rows
    ]
    lines.append("(older versions, ports and URLs parse too: e.g. CC-BY-SA-3.0, "
                 "https://creativecommons.org/licenses/by/3.0/us/)")
    emit(as_json, rows, "\n".join(lines))


@click.command("attribution")
@click.argument("resource", type=int)
@click.option("--to", "target", metavar="LANG", help="Which target language (when there are several).")
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="An author the source does not state (repeat for several); recorded as supplied by you.")
@click.option("--source-url", metavar="URL", help="Where the source is published, if it does not say.")
@actor_option
@json_option
@click.pass_context
def attribution_cmd(ctx, resource, target, authors, source_url, as_json, **kw):
    """The attribution and "changes made" statement an export of RESOURCE carries."""
    svc = service(ctx)
    who = actor(ctx, kw.get("actor"))
    if authors:
        svc.licences.set_authors(resource, authors, actor=who)
    if source_url:
        svc.licences.set_source_url(resource, source_url, actor=who)
    att = svc.licences.attribution(resource, target_language=target)
    emit(as_json, att.to_json(), "\n\n".join(att.notices()))


COMMANDS = [license_group, attribution_cmd]
