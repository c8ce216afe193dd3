#!/usr/bin/env bash
# The lab's real Postfix (issue: server personalities): loopback only, unable to relay, the
# lab's host name and users. The `postfix` personality is verified against exactly this
# configuration (tests/conformance/postfix-conformance.test.ts). Safe to run again: postconf
# sets, /etc/aliases is rewritten whole, and a running Postfix is restarted (a reload does not
# apply inet_interfaces or inet_protocols, so the Postfix Debian starts on install would stay on
# every interface).
set -euo pipefail

postconf -e 'inet_interfaces = loopback-only' 'inet_protocols = ipv4' \
  'myhostname = mx.lab.test' 'mydestination = localhost, lab.test' 'mynetworks = 127.0.0.0/8' \
  'smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination' \
  'default_transport = error:outbound mail disabled in lab' 'relay_transport = error:relay disabled' \
  'smtpd_banner = $myhostname ESMTP $mail_name'
# Debian's "Internet Site" defaults, set explicitly: a Postfix installed with "No configuration"
# has no main.cf, and its built-in defaults (compatibility level 0: no SMTPUTF8, appended
# domains) would answer differently from the Postfix the personality is verified against.
postconf -e 'compatibility_level = 3.6' 'append_dot_mydomain = no' 'biff = no' \
  'alias_maps = hash:/etc/aliases' 'alias_database = hash:/etc/aliases' \
  'recipient_delimiter = +' 'mailbox_size_limit = 0' 'relayhost ='
printf 'postmaster: root\nalice: root\nbob: root\ncarol: root\n' > /etc/aliases
newaliases
if [ -d /run/systemd/system ]; then
  systemctl restart postfix
else
  if postfix status >/dev/null 2>&1; then
    postfix stop
    # Bounded: 10 s for the master process to exit.
    for _ in $(seq 50); do postfix status >/dev/null 2>&1 || break; sleep 0.2; done
  fi
  postfix start
fi
