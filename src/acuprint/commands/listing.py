"""`acuprint list`: the clinics, handouts and content modules of a project."""

from __future__ import annotations

from pathlib import Path

from acuprint.commands.common import ProjectOption, fail_input, say
from acuprint.errors import InputError


def list_(project: ProjectOption = Path(".")) -> None:
    """List clinics, handouts and content modules.

    Example: acuprint list --project path/to/project
    """
    from acuprint.build.supervisor import load_limited

    try:
        loaded = load_limited(project)
    except InputError as error:
        raise fail_input(error, project.resolve()) from None
    say("Clinics:")
    for clinic in loaded.clinics.values():
        p = clinic.profile
        say(f"  {clinic.id:<22} {p.name} ({p.paper}; {', '.join(p.languages)})")
    say("Handouts:")
    for handout in loaded.handouts.values():
        say(f"  {handout.id:<22} {handout.recipe.title}: {', '.join(handout.recipe.modules)}")
    say("Modules:")
    for (module_id, lang), module in sorted(loaded.modules.items()):
        meta = module.meta
        reviewed = f"reviewed {meta.last_reviewed}"
        say(f"  {module_id:<36} {lang:<8} v{meta.version}  {reviewed}  {meta.title}")
