#!/usr/bin/env bash
# Runs every test: installs the real mail clients the integration tests drive, then `mvn verify`.
# Usage: scripts/test-all.sh [extra mvn args]
set -euo pipefail
cd "$(dirname "$0")/.."

# Clients nobody here wrote, driven by the *IT tests: Python's smtplib (python3) and swaks (with the Perl
# TLS modules its -tls and --tls-on-connect need), curl and fetchmail for POP3, s-nail reading mbox files and IMAP,
# mbsync (isync) syncing over IMAP, dnsmasq serving MX records to the DNS resolver, and Postfix exchanging mail
# with the server (PostfixInteropIT starts its own instance from a temporary directory, as root).
packages=(python3 swaks libnet-ssleay-perl libio-socket-ssl-perl curl fetchmail s-nail isync dnsmasq-base postfix)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing test clients: ${missing[*]}"
  # "No configuration": no /etc/postfix/main.cf, so the system's Postfix neither starts nor takes port 25
  echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

exec mvn -B -ntp verify "$@"
