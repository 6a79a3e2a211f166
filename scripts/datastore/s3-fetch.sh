# platc restore download: $BACKUP_NAME, or the newest dump of $BACKUP_PREFIX, from $S3_URL
# into $BACKUP_DIR.
set -eu
AWS_ACCESS_KEY_ID="$(cat "$S3_CREDENTIALS_DIR/ACCESS_KEY_ID")"
AWS_SECRET_ACCESS_KEY="$(cat "$S3_CREDENTIALS_DIR/ACCESS_SECRET_KEY")"
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
name="${BACKUP_NAME:-}"
if [ -z "$name" ]; then
  name="$(aws s3 ls "$S3_URL/" | awk '{print $4}' | grep -E "^$BACKUP_PREFIX-[0-9]{8}T[0-9]{6}Z\.(dump|rdb)\$" | sort -r | head -n 1 || true)"
fi
if [ -z "$name" ]; then
  echo "no backup of $BACKUP_PREFIX under $S3_URL" >&2
  exit 1
fi
aws s3 cp --only-show-errors "$S3_URL/$name" "$BACKUP_DIR/$name"
echo "downloaded: $name"
