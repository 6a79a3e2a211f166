# platc backup upload: every dump in $BACKUP_DIR to $S3_URL, then only the newest
# $BACKUP_KEEP dumps of $BACKUP_PREFIX are kept there.
set -eu
AWS_ACCESS_KEY_ID="$(cat "$S3_CREDENTIALS_DIR/ACCESS_KEY_ID")"
AWS_SECRET_ACCESS_KEY="$(cat "$S3_CREDENTIALS_DIR/ACCESS_SECRET_KEY")"
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
for file in "$BACKUP_DIR"/*; do
  aws s3 cp --only-show-errors "$file" "$S3_URL/$(basename "$file")"
  echo "uploaded: $(basename "$file")"
done
aws s3 ls "$S3_URL/" | awk '{print $4}' | grep -E "^$BACKUP_PREFIX-[0-9]{8}T[0-9]{6}Z\.(dump|rdb)\$" | sort -r \
  | tail -n +"$((BACKUP_KEEP + 1))" | while read -r old; do
    aws s3 rm --only-show-errors "$S3_URL/$old"
    echo "removed old backup: $old"
  done
