# platc backup: one dump of the datastore into $BACKUP_DIR, named <prefix>-<UTC time>.<ext>;
# then, with $BACKUP_KEEP set, only the newest $BACKUP_KEEP dumps are kept.
set -eu
if [ -n "${BACKUP_PASSWORD_FILE:-}" ]; then
  password="$(cat "$BACKUP_PASSWORD_FILE")"
  export PGPASSWORD="$password" REDISCLI_AUTH="$password"
fi
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
case "$BACKUP_ENGINE" in
  postgres)
    name="$BACKUP_PREFIX-$stamp.dump"
    pg_dump --format=custom --no-password --file="$BACKUP_DIR/$name.partial"
    ;;
  redis)
    name="$BACKUP_PREFIX-$stamp.rdb"
    redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --no-auth-warning --rdb "$BACKUP_DIR/$name.partial"
    ;;
  *)
    echo "unknown engine $BACKUP_ENGINE" >&2
    exit 2
    ;;
esac
mv "$BACKUP_DIR/$name.partial" "$BACKUP_DIR/$name"
echo "backup written: $name"
if [ -n "${BACKUP_KEEP:-}" ]; then
  ls -1 "$BACKUP_DIR" | grep -E "^$BACKUP_PREFIX-[0-9]{8}T[0-9]{6}Z\.(dump|rdb)\$" | sort -r \
    | tail -n +"$((BACKUP_KEEP + 1))" | while read -r old; do
      rm -f -- "$BACKUP_DIR/$old"
      echo "removed old backup: $old"
    done
fi
