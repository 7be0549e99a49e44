"""The deployment surface: production settings, docker-compose, the demo data, layering."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from core.models import User
from core.roles import Role
from partners.models import AnnualSpend, LifecycleTransition, Partner, PartnerUser
from srm.demo import seed_demo

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deploy_check_without_warnings() -> None:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith("SRM_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        },
        "SRM_ENV": "production",
        "SRM_SECRET_KEY": "x9$Kq2!vLm7#pR4wZ8@tY1^uB6&nC3*eH5%jF0(oS-dG_aQ+iW=kX]zV[cM;l",
        "SRM_ALLOWED_HOSTS": "srm.example.com",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/srm",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRM_")}
    env |= {"SRM_ENV": "production", "SRM_ALLOWED_HOSTS": "srm.example.com"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Set SRM_SECRET_KEY" in result.stderr


def test_production_has_debug_off_unless_asked() -> None:
    from django.conf import settings

    assert settings.DEBUG is False


def test_docker_compose_names_every_service_with_commands_that_exist() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    # One image for every app process.
    app_images = {services[name].get("image") for name in ("web", "worker", "beat")}
    assert len(app_images) == 1 and None not in app_images
    assert services["web"]["build"]["context"] == "."
    assert "gunicorn srm.wsgi" in " ".join(services["web"]["command"])
    assert "manage.py migrate" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "srm", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "srm", "beat"]
    for name in ("db", "redis"):
        assert services[name]["volumes"], f"{name} keeps its data in a volume"
    assert set(compose["volumes"]) >= {"pgdata", "redisdata", "media"}
    # The commands the services run exist in the image's environment (the same lock file).
    for binary in ("gunicorn", "celery"):
        assert shutil.which(binary, path=str(Path(sys.executable).parent)), binary
    import srm.celery
    import srm.wsgi

    assert srm.celery.app.main == "srm"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.lock" in dockerfile
    assert "collectstatic" in dockerfile


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_covers_every_role() -> None:
    seed_demo()
    counts = (
        User.objects.count(),
        Partner.objects.count(),
        AnnualSpend.objects.count(),
        LifecycleTransition.objects.count(),
    )
    seed_demo()
    assert counts == (
        User.objects.count(),
        Partner.objects.count(),
        AnnualSpend.objects.count(),
        LifecycleTransition.objects.count(),
    )
    assert {u.role for u in User.objects.all()} == {r.value for r in Role}
    # Supplier users of two different partners.
    assert PartnerUser.objects.values("partner").distinct().count() == 2
    models = set(Partner.objects.values_list("engagement_model", flat=True))
    quadrants = set(Partner.objects.values_list("quadrant", flat=True))
    assert len(models) == 4 and len(quadrants) == 4
    assert AnnualSpend.objects.values("year").distinct().count() >= 3


LAYERS = ["core", "partners", "scorecards", "governance", "srm"]


def _layer(module: str) -> int | None:
    for index in range(len(LAYERS) - 1, -1, -1):
        name = LAYERS[index]
        if module == name or module.startswith(name + "."):
            return index
    return None


def test_imports_point_one_way() -> None:
    """core ← partners ← scorecards ← governance ← srm: no app imports one to its right."""
    wrong = []
    for package in ("core", "srm", "partners", "scorecards", "governance"):
        for path in (ROOT / package).rglob("*.py"):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            own = _layer(module)
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                for name in names:
                    target = _layer(name)
                    if own is not None and target is not None and target > own:
                        wrong.append(f"{module} imports {name}")
    assert wrong == []
