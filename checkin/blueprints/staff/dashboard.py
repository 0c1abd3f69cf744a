"""The evaluation dashboard: key figures, charts with their tables, breakdowns and targets for
a period and filters. Every number comes from ``services.stats``, like the exports."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.staff.blueprint import bp
from checkin.blueprints.staff.stats_forms import StatsFilterForm, filter_args
from checkin.services import clock
from checkin.services.clock import local
from checkin.services.stats import (
    METRIC_LABELS,
    Bar,
    EvaluationTable,
    bar_chart,
    evaluation_tables,
    key_figure_rows,
    key_figures,
    target_progress,
)


def chart_sets(tables: list[EvaluationTable]) -> list[dict]:
    """The charts of the dashboard and the report, each with the rows of its table."""
    by_key = {table.key: table for table in tables}
    specs = [
        ("chart-activity", "project", _("Attendances by activity"), "attendances"),
        ("chart-age", "age_band", _("Unique participants by age band"), "unique"),
        ("chart-area", "area", _("Unique participants by area"), "unique"),
        ("chart-gender", "gender", _("Unique participants by gender"), "unique"),
    ]
    charts = []
    for chart_id, key, title, measure in specs:
        table = by_key[key]
        if key == "project":
            rows = [r for r in table.rows if r.activity_id is not None]
            labels = [r.activity or "" for r in rows]
        else:
            rows = [r for r in table.totals() if getattr(r, measure) > 0]
            labels = [r.group_label for r in rows]
        bars = [Bar(label, getattr(row, measure)) for label, row in zip(labels, rows, strict=True)]
        charts.append(
            {
                "id": chart_id,
                "title": title,
                "measure": measure,
                "svg": bar_chart(chart_id=chart_id, title=title, bars=bars),
                "bars": bars,
                "rows": rows,
            }
        )
    return charts


@bp.route("/", endpoint="dashboard")
@role_required("staff")
def dashboard_page():
    now = clock.now()
    form = StatsFilterForm(formdata=request.args, today=local(now).date())
    stats_filter = form.to_filter()
    tables = evaluation_tables(stats_filter)
    return render_template(
        "staff/dashboard.html",
        form=form,
        stats_filter=stats_filter,
        filter_args=filter_args(stats_filter),
        figures=key_figure_rows(key_figures(stats_filter, at=now)),
        tables=tables,
        charts=chart_sets(tables),
        targets=target_progress(stats_filter, at=now),
        metric_labels=METRIC_LABELS,
    )
