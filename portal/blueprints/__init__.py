"""Blueprints, one per audience. Each route declares its access rule (see portal.access)."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from portal.blueprints.account import bp as account
    from portal.blueprints.admin import bp as admin
    from portal.blueprints.assets.views import bp as assets
    from portal.blueprints.auth.views import bp as auth
    from portal.blueprints.business_support.views import bp as business_support
    from portal.blueprints.children.views import bp as children
    from portal.blueprints.documents import bp as documents
    from portal.blueprints.education_contact.views import bp as education_contact
    from portal.blueprints.errors import register_error_pages
    from portal.blueprints.peps import bp as peps
    from portal.blueprints.platform import bp as platform
    from portal.blueprints.school.views import bp as school
    from portal.blueprints.social_work.views import bp as social_work
    from portal.blueprints.virtual_school import bp as virtual_school

    for blueprint in (
        assets,
        auth,
        school,
        account,
        social_work,
        business_support,
        virtual_school,
        admin,
        children,
        peps,
        documents,
        education_contact,
        platform,
    ):
        app.register_blueprint(blueprint)
    register_error_pages(app)
