#!/usr/bin/env bash
# Make the macOS disk image: packaging/macos/make_dmg.sh APP OUTFILE (APP: dist/Backcheck.app).
# With MACOS_CERT_P12_BASE64, MACOS_CERT_PASSWORD and MACOS_SIGN_IDENTITY set (release workflow
# secrets) the app and the image are signed (hardened runtime); with APPLE_ID, APPLE_TEAM_ID and
# APPLE_APP_PASSWORD also notarised and stapled. Without them the image is unsigned.
set -euo pipefail
app=$1 out=$2

signing=0
if [ -n "${MACOS_CERT_P12_BASE64:-}" ]; then
  signing=1
  keychain="$RUNNER_TEMP/backcheck-sign.keychain-db"
  p12="$RUNNER_TEMP/backcheck-sign.p12"
  kc_pass=$(openssl rand -hex 16)
  trap 'rm -f "$p12"; security delete-keychain "$keychain" 2>/dev/null || true' EXIT
  printf '%s' "$MACOS_CERT_P12_BASE64" | base64 --decode > "$p12"
  security create-keychain -p "$kc_pass" "$keychain"
  security set-keychain-settings -lut 3600 "$keychain"
  security unlock-keychain -p "$kc_pass" "$keychain"
  security import "$p12" -k "$keychain" -P "$MACOS_CERT_PASSWORD" -T /usr/bin/codesign
  security set-key-partition-list -S apple-tool:,apple: -s -k "$kc_pass" "$keychain" >/dev/null
  security list-keychains -d user -s "$keychain"
  codesign --deep --force --options runtime --timestamp --keychain "$keychain" \
    --sign "$MACOS_SIGN_IDENTITY" "$app"
  codesign --verify --deep --strict "$app"
else
  echo "make_dmg: no signing secrets: $app stays unsigned"
fi

# The image shows the app next to a link to /Applications to drag it onto.
staging=$(mktemp -d)
ditto "$app" "$staging/$(basename "$app")"
ln -s /Applications "$staging/Applications"
hdiutil create -volname Backcheck -srcfolder "$staging" -ov -format UDZO "$out"
rm -rf "$staging"

if [ "$signing" = 1 ]; then
  codesign --force --timestamp --keychain "$keychain" --sign "$MACOS_SIGN_IDENTITY" "$out"
  if [ -n "${APPLE_ID:-}" ]; then
    xcrun notarytool submit "$out" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
      --password "$APPLE_APP_PASSWORD" --wait
    xcrun stapler staple "$out"
  else
    echo "make_dmg: no notarisation secrets: $out is signed, not notarised"
  fi
fi
echo "make_dmg: $out"
