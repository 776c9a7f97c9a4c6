import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.worker
def test_healthz_is_200_on_every_host_when_all_services_answer(world, client_for, celery_worker_process):
    for code in (None, "yincheng", "yinnan"):
        response = client_for(code).get("/healthz")
        assert response.status_code == 200, response.content
        assert json.loads(response.content) == {
            "status": "ok",
            "checks": {"database": True, "redis": True, "celery": True},
        }


def test_healthz_is_503_when_redis_does_not_answer(world, client_for, settings, tmp_path):
    settings.REDIS_URL = f"unix://{tmp_path}/nothing.sock"
    response = client_for("yincheng").get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["redis"] is False and body["checks"]["database"] is True
