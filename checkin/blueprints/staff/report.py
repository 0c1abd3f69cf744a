"""The printable annual report (årsrapport): key figures, charts, per-project tables and
target progress for one calendar year, from ``services.stats`` like the dashboard."""

from __future__ import annotations

from flask import render_template, request

from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.staff.blueprint import bp
from checkin.blueprints.staff.dashboard import chart_sets
from checkin.blueprints.staff.stats_forms import YearForm
from checkin.services import clock
from checkin.services.clock import local
from checkin.services.stats import (
    METRIC_LABELS,
    StatsFilter,
    evaluation_tables,
    key_figure_rows,
    key_figures,
    target_progress,
)


@bp.route("/report", endpoint="annual_report")
@role_required("staff")
def annual_report_page():
    now = clock.now()
    form = YearForm(formdata=request.args)
    this_year = local(now).year
    year = form.year.data if form.validate() and form.year.data else this_year
    form.year.data = year
    stats_filter = StatsFilter.for_year(year)
    tables = evaluation_tables(stats_filter)
    return render_template(
        "staff/report.html",
        form=form,
        year=year,
        generated_at=local(now),
        figures=key_figure_rows(key_figures(stats_filter, at=now)),
        tables=tables,
        charts=chart_sets(tables),
        targets=target_progress(stats_filter, at=now),
        metric_labels=METRIC_LABELS,
    )
