# platc restore: $BACKUP_NAME from $BACKUP_DIR, or the newest backup there.
# postgres: pg_restore recreates the database (--clean --create) or, with RESTORE_CREATE=false,
# restores into the existing $PGDATABASE. redis: the dump becomes $REDIS_DATA_DIR/dump.rdb,
# loaded when Redis starts.
set -eu
if [ -n "${BACKUP_PASSWORD_FILE:-}" ]; then
  PGPASSWORD="$(cat "$BACKUP_PASSWORD_FILE")"
  export PGPASSWORD
fi
name="${BACKUP_NAME:-}"
if [ -z "$name" ]; then
  name="$(ls -1 "$BACKUP_DIR" | grep -E "^$BACKUP_PREFIX-[0-9]{8}T[0-9]{6}Z\.(dump|rdb)\$" | sort -r | head -n 1 || true)"
fi
if [ -z "$name" ] || [ ! -f "$BACKUP_DIR/$name" ]; then
  echo "no backup ${name:-of $BACKUP_PREFIX} in $BACKUP_DIR" >&2
  exit 1
fi
echo "restoring $name"
case "$BACKUP_ENGINE" in
  postgres)
    if [ "${RESTORE_CREATE:-true}" = true ]; then
      pg_restore --clean --if-exists --create --no-password --exit-on-error --dbname=postgres "$BACKUP_DIR/$name"
    else
      pg_restore --clean --if-exists --no-owner --no-password --exit-on-error --dbname="$PGDATABASE" "$BACKUP_DIR/$name"
    fi
    ;;
  redis)
    cp "$BACKUP_DIR/$name" "$REDIS_DATA_DIR/dump.rdb.partial"
    mv "$REDIS_DATA_DIR/dump.rdb.partial" "$REDIS_DATA_DIR/dump.rdb"
    ;;
  *)
    echo "unknown engine $BACKUP_ENGINE" >&2
    exit 2
    ;;
esac
echo "restored $name"
