#!/bin/sh
# Uploads settlement lists to Yibao with an institution API key, signed with curl and openssl only.
#   YIBAO_URL=http://127.0.0.1:3000 YIBAO_KEY_ID=AK… YIBAO_SECRET=… sh examples/signed-upload.sh lists.json
# stringToSign = METHOD \n path-with-query \n timestamp \n nonce \n hex(SHA-256(body)); see README.
set -eu
BODY_FILE=$1
REQ_PATH=/api/v1/settlement-lists
TS=$(date +%s)
NONCE=$(openssl rand -hex 16)
SHA=$(openssl dgst -sha256 -r < "$BODY_FILE" | cut -d' ' -f1)
SIG=$(printf 'POST\n%s\n%s\n%s\n%s' "$REQ_PATH" "$TS" "$NONCE" "$SHA" \
  | openssl dgst -sha256 -hmac "$YIBAO_SECRET" -binary | openssl base64 -A)
curl -sS --fail-with-body "$YIBAO_URL$REQ_PATH" \
  -H 'Content-Type: application/json' \
  -H "X-Yibao-Key-Id: $YIBAO_KEY_ID" \
  -H "X-Yibao-Timestamp: $TS" \
  -H "X-Yibao-Nonce: $NONCE" \
  -H "X-Yibao-Content-SHA256: $SHA" \
  -H "X-Yibao-Signature: $SIG" \
  --data-binary @"$BODY_FILE"
