#!/usr/bin/env bash
# The production shape on this machine, every part a real server on loopback: PostgreSQL,
# Redis, gunicorn, a Celery worker and Celery beat, static files served by WhiteNoise,
# evidence files in Azurite (the Azure Blob Storage emulator, tools/azurite), iia.settings.production. Usage: .ci/stack.sh start|stop|env
# Ports and sizes come from the environment (the Makefile's stack target sets them).
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:-start}
pg_port=${STACK_PG_PORT:-55871}
redis_port=${STACK_REDIS_PORT:-56871}
web_port=${STACK_WEB_PORT:-8871}
azurite_port=${STACK_AZURITE_PORT:-57871}
workers=${STACK_WEB_WORKERS:-4}
celery_workers=${STACK_CELERY_CONCURRENCY:-2}
dir=${STACK_DIR:-/tmp/iia-stack-$pg_port}
bin=.venv/bin

write_env() {
  mkdir -p "$dir/signing" "$dir/var"
  # a local secret, generated once per stack directory; never committed
  [ -f "$dir/secret" ] || { umask 077; $bin/python -c "import secrets; print(secrets.token_urlsafe(50))" > "$dir/secret"; }
  [ -f "$dir/signing-passphrase" ] || { umask 077; $bin/python -c "import secrets; print(secrets.token_urlsafe(24))" > "$dir/signing-passphrase"; }
  cat > "$dir/env" <<ENV
export DJANGO_SETTINGS_MODULE=iia.settings.production
export DJANGO_SECRET_KEY='$(cat "$dir/secret")'
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL=${STACK_DATABASE_URL:-postgres://iia@127.0.0.1:$pg_port/iia}
export DATABASE_CONN_MAX_AGE=600
export CELERY_BROKER_URL=redis://127.0.0.1:$redis_port/0
export IIA_CACHE_URL=redis://127.0.0.1:$redis_port/1
export IIA_VAR_DIR=$dir/var
export IIA_SIGNING_DIR=$dir/signing
export IIA_SIGNING_PASSPHRASE='$(cat "$dir/signing-passphrase")'
export IIA_SITE_URL=http://127.0.0.1:$web_port
export IIA_HTTPS=0
export IIA_ALLOW_DEMO_ACCOUNTS=1  # a demo on loopback: the production checks let its demo accounts be
export IIA_REQUIRE_TWO_FACTOR=0  # and sign in with their password alone (the load bench does); refused off otherwise
export EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend  # notifications go to the worker logs
# evidence files in Azurite, through the same backend as Azure Blob Storage; its well-known development account
export IIA_STORAGE=azure
export IIA_AZURE_CONTAINER=evidence
export IIA_AZURE_CONNECTION_STRING='DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;'
ENV
}

stop_pid() {  # stop the process whose id is in the file, and wait for it
  local file=$1
  [ -f "$file" ] || return 0
  local pid; pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$file"
}

case "$action" in
  env)
    write_env; echo "$dir/env"
    ;;
  start)
    .ci/stack-packages.sh
    write_env
    # shellcheck disable=SC1091
    . "$dir/env"
    IIA_PG_KEEP=1 IIA_PG_DATA=$dir/pg .ci/postgres.sh start "$pg_port"  # its databases outlive a stop
    if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
      redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no
    fi
    if ! [ -f "$dir/azurite.pid" ] || ! kill -0 "$(cat "$dir/azurite.pid")" 2>/dev/null; then
      mkdir -p "$dir/azurite"
      nohup tools/azurite/node_modules/.bin/azurite-blob --blobHost 127.0.0.1 --blobPort "$azurite_port" \
        --location "$dir/azurite" --silent --skipApiVersionCheck --disableProductStyleUrl \
        > "$dir/azurite.log" 2>&1 &
      echo $! > "$dir/azurite.pid"
      for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$azurite_port") 2>/dev/null && break; sleep 0.2; done
    fi
    $bin/python manage.py migrate --noinput -v0
    $bin/python manage.py evidence_storage_prepare -v0
    # collectstatic compresses every file (a few minutes): only when the project's own changed
    manifest=$dir/var/static/staticfiles.json
    if [ ! -f "$manifest" ] || [ -n "$(find iia/static requirements -newer "$manifest" -type f | head -1)" ]; then
      $bin/python manage.py collectstatic --noinput -v0
    fi
    $bin/python manage.py shell -v0 -c "from assessments.models import PlanChange; print(PlanChange.objects.count())" \
      | grep -qx 0 && $bin/python manage.py load_demo --demo
    stop_pid "$dir/gunicorn.pid"
    $bin/gunicorn iia.wsgi -w "$workers" -b "127.0.0.1:$web_port" --daemon --pid "$dir/gunicorn.pid" \
      --error-logfile "$dir/gunicorn.log" --capture-output --access-logfile "$dir/access.log" --timeout 120
    stop_pid "$dir/celery-worker.pid"
    $bin/celery -A iia worker --detach --concurrency "$celery_workers" --pidfile "$dir/celery-worker.pid" \
      --logfile "$dir/celery-worker.log" --loglevel INFO
    stop_pid "$dir/celery-beat.pid"
    $bin/celery -A iia beat --detach --pidfile "$dir/celery-beat.pid" --logfile "$dir/celery-beat.log" \
      --schedule "$dir/celerybeat-schedule" --loglevel INFO
    for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$web_port/accounts/login/" && break; sleep 0.2; done
    cat <<MSG
iia stack running (production settings, logs and data in $dir):
  web          http://127.0.0.1:$web_port/  (gunicorn, $workers workers; demo accounts as in the README)
  register     http://127.0.0.1:$web_port/register/
  PostgreSQL   postgres://iia@127.0.0.1:$pg_port/iia
  Redis        redis://127.0.0.1:$redis_port/0  (Celery broker; worker x$celery_workers and beat running)
  Azurite      http://127.0.0.1:$azurite_port/devstoreaccount1  (evidence files, container "evidence")
  environment  . $dir/env   (then e.g. .venv/bin/python manage.py shell)
Stop it all with: make stack-stop
MSG
    ;;
  stop)
    stop_pid "$dir/gunicorn.pid"
    stop_pid "$dir/celery-beat.pid"
    stop_pid "$dir/celery-worker.pid"
    stop_pid "$dir/redis.pid"
    stop_pid "$dir/azurite.pid"
    IIA_PG_DATA=$dir/pg .ci/postgres.sh stop "$pg_port"
    echo "iia stack stopped"
    ;;
esac
