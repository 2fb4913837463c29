#!/bin/sh
# Prints lighttpd's HTTP basic auth block when MEET_HTPASSWD names an
# htpasswd file, nothing otherwise. lighttpd.conf and deploy/lighttpd-cgi.conf
# include it with include_shell: lighttpd's conditionals cannot test the
# environment (both load mod_auth first, as lighttpd wants it before
# FastCGI). lighttpd sets REMOTE_USER for the programs once a user logs in.
[ -n "${MEET_HTPASSWD:-}" ] || exit 0
case $MEET_HTPASSWD in *'"'*|*'\'*) echo "lighttpd-auth.sh: bad MEET_HTPASSWD path" >&2; exit 1 ;; esac
cat <<CONF
auth.backend = "htpasswd"
auth.backend.htpasswd.userfile = "$MEET_HTPASSWD"
auth.require = ( "/" => ( "method" => "basic", "realm" => "meet-fcgi", "require" => "valid-user" ) )
CONF
