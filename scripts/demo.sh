#!/usr/bin/env bash
# Runs the web server, a Celery worker and Celery beat together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python
mkdir -p var

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "正在停止… / stopping…"
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap cleanup INT TERM EXIT

$PY -m celery -A config worker -l WARNING --concurrency 2 > var/worker.log 2>&1 & pids+=($!)
$PY -m celery -A config beat -l WARNING --schedule var/celerybeat-schedule > var/beat.log 2>&1 & pids+=($!)
$PY manage.py runserver "0.0.0.0:${PORT}" --noreload & pids+=($!)

sleep 2
cat <<INFO

==============================================================
 公开 Gongkai 演示已启动 / demo is running  (Ctrl-C 停止 / stop)
 街道工作平台 street office:  http://localhost:${PORT}/
 银城社区 yincheng:           http://yincheng.localhost:${PORT}/
 银南社区 yinnan:             http://yinnan.localhost:${PORT}/
 银北社区 yinbei:             http://yinbei.localhost:${PORT}/
 银新社区 yinxin:             http://yinxin.localhost:${PORT}/
 登录 login:                  /accounts/login/ on each site
 演示账号 demo logins:         <社区代码>_<角色>, e.g. yincheng_handler, yinzhou_inspector
 统一密码 password:            Gongkai@2026
 健康检查 health:              curl -H 'Host: yincheng.localhost' localhost:${PORT}/healthz
 日志 logs:                    var/worker.log, var/beat.log
==============================================================
INFO
wait -n "${pids[@]}"
