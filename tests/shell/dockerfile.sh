# RUN lines in the style of the official images (alpine, nginx, node, python,
# golang) and of the seed examples, with network and package steps replaced by
# local work. Paths are relative (the suite runs in a scratch directory).
#### seed-multi-stage-build
echo 'Building...' > build.txt
echo 'Testing...' >> build.txt
while read -r l; do echo "$l"; done < build.txt
#### seed-multi-stage-cat
#@ needs: cat
echo 'Building...' > build.txt; echo 'Testing...' >> build.txt; cat build.txt
#### seed-apache-bash-exec-form
echo '<h1>test</h1>' > test.html; bash -c "echo hello >> test.html"; while read -r l; do echo "$l"; done < test.html
#### seed-chmod-server
#@ needs: chmod
printf '#!/bin/sh\necho serving\n' > server; chmod +x server; ./server
#### seed-dockerignore-ls
#@ needs: mkdir ls
mkdir -p ctx/sub; : > ctx/a; : > ctx/sub/b; ls -R ctx
#### alpine-arch-case
set -eux; \
	apkArch="x86_64"; \
	case "$apkArch" in \
		x86_64) arch='amd64' ;; \
		aarch64) arch='arm64' ;; \
		armhf) arch='armv6' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac; \
	echo "$arch"
#### alpine-unsupported-arch
set -eu; apkArch=s390x; case "$apkArch" in x86_64) arch=amd64 ;; *) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; esac; echo never
#### golang-url-selection
set -eux; \
	arch='amd64'; \
	url=; \
	case "$arch" in \
		'amd64') \
			url='https://dl.google.com/go/go1.22.1.linux-amd64.tar.gz'; \
			sha256='aab8e15785c997ae20f9c88422ee35d962c4562212bb0f879d052a35c8307c7f'; \
			;; \
		'arm64') \
			url='https://dl.google.com/go/go1.22.1.linux-arm64.tar.gz'; \
			;; \
		*) echo >&2 "error: unsupported architecture '$arch' (likely packaging update needed)"; exit 1 ;; \
	esac; \
	build=; \
	if [ -z "$url" ]; then build=1; fi; \
	echo "$url"; echo "${sha256:-none}"; echo "build=[$build]"
#### golang-env-path
export GOPATH=/go; export PATH="$GOPATH/bin:/usr/local/go/bin:$PATH"; echo "$PATH" | { IFS=: read a b rest; echo "$a $b"; }
#### node-keys-loop
set -ex \
  && for key in \
    4ED778F539E3634C779C87C6D7062848A1AB005C \
    141F07595B7B3FFE74309A937405533BE57C7D57 \
    74F12602B6F1C4E913FAA37AD3A89613643B6201 \
  ; do \
    echo "would fetch $key"; \
  done
#### node-entrypoint
set -- -e 'console.log(1)'
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ]; then
  set -- node "$@"
fi
printf '[%s]\n' "$@"
#### node-entrypoint-command
set -- sh -c true
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ]; then set -- node "$@"; fi
printf '[%s]\n' "$@"
#### python-saved-apt-mark
set -eux; \
	savedAptMark="pkg-a pkg-b"; \
	for p in $savedAptMark; do echo "mark $p"; done; \
	[ -z "$savedAptMark" ] || echo "restore: $savedAptMark"
#### python-version-parse
PYTHON_VERSION=3.12.2; majmin="${PYTHON_VERSION%.*}"; major="${PYTHON_VERSION%%.*}"; patch="${PYTHON_VERSION##*.}"; echo "$majmin $major $patch"
#### python-gpg-style-check
GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305; [ -n "$GPG_KEY" ] && echo "key set ${#GPG_KEY}"
#### nginx-user-check
#@ needs: id
if [ "$(id -u)" = "0" ]; then echo root; else echo user; fi
#### nginx-template-loop
set -e
mkdir_done=0
for f in a.conf.template b.conf.template; do
  out="${f%.template}"
  echo "render $f -> $out"
done
#### nginx-entrypoint-style
set -e
entrypoint_log() {
    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
        echo "$@"
    fi
}
set -- nginx -g 'daemon off;'
if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
    entrypoint_log "$0: Configuration complete; ready for start up"
fi
NGINX_ENTRYPOINT_QUIET_LOGS=1 entrypoint_log hidden
printf '<%s>\n' "$@"
#### heredoc-config-file
cat_conf() { while IFS= read -r l; do echo "$l"; done; }
port=8080
cat_conf > default.conf <<EOF
server {
    listen       ${port};
    server_name  localhost;
    location / {
        root   /usr/share/nginx/html;
    }
}
EOF
while IFS= read -r l; do echo "|$l"; done < default.conf
#### and-chain
echo step1 > log && echo step2 >> log && false && echo never >> log; echo "chain status $?"; while read l; do echo "$l"; done < log
#### and-chain-cd
#@ needs: mkdir
mkdir -p app/src && cd app && echo built > src/out && cd src && pwd && cd ../.. && echo ok
#### set-eux-with-functions
set -eu
log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
version=1.2.3
[ -n "$version" ] || die "no version"
log "installing $version"
echo done
#### shell-default-values
: "${APP_HOME:=/opt/app}"; : "${APP_USER:=app}"; echo "$APP_HOME $APP_USER"
#### env-file-generation
{ echo "NAME=demo"; echo "PORT=80"; } > .env; while IFS='=' read -r k v; do echo "export $k=\"$v\""; done < .env
#### multiline-string-continuation
MSG="first part \
second part"; echo "$MSG"
#### command-v-fallback
if command -v wget_nope >/dev/null 2>&1; then echo wget; elif command -v curl_nope >/dev/null 2>&1; then echo curl; else echo "no downloader"; fi
#### checksum-style-compare
expected=abc123; actual=abc123; if [ "$expected" != "$actual" ]; then echo mismatch >&2; exit 1; fi; echo verified
#### getopts-entrypoint
set -- -v -p 8080 serve
verbose=0; port=80
while getopts vp: opt; do case $opt in v) verbose=1;; p) port=$OPTARG;; *) exit 2;; esac; done
shift $((OPTIND - 1))
echo "verbose=$verbose port=$port cmd=$1"
#### docker-entrypoint-exec
set -- echo from-entrypoint
exec "$@"
#### sh-c-with-args
sh -c 'echo "$0 got $# args: $*"' name a b c
#### bash-c-exec-form
bash -c 'x=1; echo "bash says $x"'
#### nested-sh-c-quoting
sh -c "echo 'single inside double'; echo \"escaped double\""
#### shebang-script
printf '#!/bin/sh\necho "script $0 $*"\nexit 3\n' > run.sh; sh run.sh a b; echo "status $?"
#### shebang-script-executable
#@ needs: chmod
printf '#!/bin/sh\necho "exec $0 $1"\n' > tool; chmod 755 tool; ./tool arg; PATH=".:$PATH"; tool via-path
#### script-without-shebang
#@ needs: chmod
printf 'echo no-shebang "$0"\n' > plain; chmod +x plain; ./plain
#### sourced-env-file
printf 'export A=1\nB=2\n' > env.sh; . ./env.sh; echo "$A $B"; sh -c 'echo "child sees [$A] [${B-unset}]"'
#### umask-and-files
umask 077; echo secret > key; umask 022; echo public > pub
#### printf-to-config
printf '%s = %s\n' key1 v1 key2 v2 > app.ini; while read -r k eq v; do echo "$k:$v"; done < app.ini
#### trap-cleanup
set -e; tmp=tmpfile; trap 'rm_cleanup' EXIT; rm_cleanup() { echo "cleanup $tmp"; }; : > "$tmp"; echo working
#### conditional-mkdir
#@ needs: mkdir
d=data; [ -d "$d" ] || mkdir "$d"; [ -d "$d" ] && echo exists; [ -d "$d" ] || mkdir "$d"; echo again
#### loop-over-args-with-spaces
set -- "file one" "file two"; for f in "$@"; do : > "$f"; done; for f in *; do echo "<$f>"; done
#### version-compare-style
v=1.10.3; IFS=. read major minor patch <<EOF
$v
EOF
if [ "$major" -ge 1 ] && [ "$minor" -ge 9 ]; then echo "new enough ($major.$minor)"; fi
