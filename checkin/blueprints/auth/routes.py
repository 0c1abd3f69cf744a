from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user

from checkin.blueprints.auth.forms import LoginForm
from checkin.boundary import get_by_raw_id
from checkin.extensions import limiter
from checkin.i18n import safe_next
from checkin.models import User
from checkin.ratelimits import configured, login_email_key, not_redirected, without
from checkin.services import clock
from checkin.services.accounts import authenticate, end_sessions

bp = Blueprint("auth", __name__)
# Blueprint-wide limits are checked before CSRF (a view's own limits only when the view runs,
# after it), so even token-less guessing is throttled: per client address, and failed logins
# per e-mail address from any address (logout posts no e-mail).
limiter.limit(configured("LOGIN_RATE_LIMIT"), methods=["POST"])(bp)
limiter.limit(
    configured("LOGIN_ACCOUNT_RATE_LIMIT"),
    key_func=login_email_key,
    methods=["POST"],
    exempt_when=without("email"),
    deduct_when=not_redirected,
)(bp)


def init_login(app: Flask, manager: LoginManager) -> None:
    manager.init_app(app)
    manager.login_view = "auth.login"
    manager.login_message = _l("Please log in to see this page.")
    manager.login_message_category = "info"
    manager.session_protection = "strong"

    @manager.user_loader
    def load_user(login_id: str) -> User | None:
        """The user of a session or remember cookie ("<id>:<session version>", see
        ``User.get_id``): active, and the cookie issued since their sessions last ended."""
        raw_id, _, version = login_id.partition(":")
        user = get_by_raw_id(User, raw_id)
        if user is None or not user.active or version != str(user.session_version):
            return None
        return user


def landing_for(user: User) -> str:
    """Where a login lands without a ``next``: where the user's role works. A volunteer works
    only at the desk (the back office answers them 403); staff and admins at the overview."""
    return url_for("staff.dashboard" if user.has_role("staff") else "desk.start")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), landing_for(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data, at=clock.now())
        if user is None:
            form.password.errors.append(_("The e-mail or password is wrong."))
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next"), landing_for(user)))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    end_sessions(current_user)  # also copies of the cookies, and the user's other devices
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.home"))
