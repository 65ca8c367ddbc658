"""Draw a flow as a Mermaid diagram, from the same data the engine runs."""

from __future__ import annotations

from flows.model import Flow, Kind

SHAPES = {
    Kind.CHOICE: ("{{", "}}"),
    Kind.MULTI: ("[[", "]]"),
    Kind.TEXT: ("[/", "/]"),
    Kind.CONFIRM: ("([", "])"),
}


def mermaid(flow: Flow) -> str:
    """Return a Mermaid flowchart: one node per step, skips and early ends as labelled edges."""
    lines = ["flowchart TD"]
    for step in flow.steps:
        left, right = SHAPES[step.kind]
        label = step.prompt.split("\n")[0].replace('"', "'")
        if step.prefill_single:
            label += " (filled in when there is one option)"
        lines.append(f'    {step.id}{left}"{step.id}: {label}"{right}')
    ids = [s.id for s in flow.steps] + ["done"]
    for i, step in enumerate(flow.steps):
        for value, outcome in step.ends.items():
            lines.append(f'    {step.id} -- "{value}" --> end_{outcome}(["{outcome}: end, nothing stored"])')
        nxt = flow.steps[i + 1] if i + 1 < len(flow.steps) else None
        if nxt is None:
            label = "send" if step.kind is Kind.CONFIRM else "answered"
            lines.append(f'    {step.id} -- "{label}" --> done(["complete"])')
        elif nxt.skip_unless is not None:
            lines.append(f'    {step.id} -- "{nxt.skip_unless.step} = {nxt.skip_unless.value}" --> {nxt.id}')
            lines.append(f'    {step.id} -- "otherwise" --> {ids[i + 2]}')
        else:
            lines.append(f"    {step.id} --> {nxt.id}")
    return "\n".join(lines) + "\n"
