#!/bin/bash
# Installs the kiosk on a Debian machine as a full-screen kiosk: the user
# kiosk, the binary, /etc/kiosk (configuration, key file, foot.ini), the
# systemd unit and its PAM file. Safe to run again: what exists is kept
# (configuration, key file, user); the binary, the unit, the PAM file and
# foot.ini are replaced. It enables nothing; see the README, "Running it as
# a kiosk".
#
#   sudo deploy/install.sh [BINARY]     (default: ./kiosk, from make build)
#   deploy/install.sh --dry-run [BINARY] prints what it would do
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dry=0
if [[ ${1:-} == --dry-run ]]; then
	dry=1
	shift
fi
bin=${1:-$here/../kiosk}

user=kiosk
groups=video,dialout,audio
etc=/etc/kiosk
data=/var/lib/kiosk
key=$etc/kiosk.key

say() { echo "install.sh: $*"; }
die() {
	echo "install.sh: $*" >&2
	exit 1
}
# run prints a command and runs it (only prints it with --dry-run).
run() {
	echo "+ $*"
	if ((!dry)); then
		"$@"
	fi
}

if ((!dry)) && [[ $(id -u) != 0 ]]; then
	die "must run as root: sudo $0 $*"
fi
[[ -f $bin && -x $bin ]] || die "no kiosk binary at $bin (make build, or give its path)"

missing=()
for p in cage foot fonts-noto-cjk; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
	msg="Debian packages missing: ${missing[*]} (apt-get install ${missing[*]})"
	if ((dry)); then
		say "$msg"
	else
		die "$msg"
	fi
fi

if id -u "$user" >/dev/null 2>&1; then
	say "user $user exists"
else
	run useradd --system --user-group --home-dir "$data" --no-create-home \
		--shell /usr/sbin/nologin --comment "self-service kiosk" "$user"
fi
run usermod --append --groups "$groups" "$user"

run install -m 0755 "$bin" /usr/local/bin/kiosk
run install -d -m 0750 -o root -g "$user" "$etc"
run install -d -m 0700 -o "$user" -g "$user" "$data"
if [[ -e $etc/kiosk.toml ]]; then
	say "keeping $etc/kiosk.toml"
else
	run install -m 0640 -o root -g "$user" "$here/kiosk.toml" "$etc/kiosk.toml"
fi
run install -m 0644 "$here/foot.ini" "$etc/foot.ini"

# The key file: made once, by the kiosk itself (as it would on a first start)
# in a scratch directory, then put in place. The service cannot make it: it
# sees /etc read-only.
if [[ -e $key ]]; then
	say "keeping $key"
else
	say "creating $key"
	if ((dry)); then
		scratch=/tmp/kiosk-install.XXXXXX
	else
		scratch=$(mktemp -d)
		trap 'rm -rf "$scratch"' EXIT
		chown "$user:$user" "$scratch"
		printf 'data_dir = "%s/data"\n[store]\nkey_file = "%s/kiosk.key"\n' "$scratch" "$scratch" >"$scratch/init.toml"
	fi
	run runuser -u "$user" -- /usr/local/bin/kiosk -config "$scratch/init.toml" staff list
	run install -m 0600 -o "$user" -g "$user" "$scratch/kiosk.key" "$key"
fi

run install -m 0644 "$here/kiosk.service" /etc/systemd/system/kiosk.service
run install -m 0644 "$here/pam-kiosk" /etc/pam.d/kiosk
if ((dry)) || [[ -d /run/systemd/system ]]; then
	run systemctl daemon-reload
fi

say "done. Next: edit $etc/kiosk.toml (kiosk_id, devices), then"
say "  runuser -u $user -- kiosk -config $etc/kiosk.toml devices check"
say "  systemctl set-default graphical.target && systemctl enable --now kiosk.service"
