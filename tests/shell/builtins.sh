# Builtins: cd, pwd, read, getopts, umask, type, command, export, readonly,
# unset, shift, eval, exec, trap, ., wait, kill, times, hash, ulimit, alias.
#### cd-and-pwd
cd /; pwd; cd ~ 2>/dev/null; cd "$OLDPWD"; pwd
#### cd-dash
cd /; cd - ; echo "$PWD"
#### cd-home
HOME=/; cd; pwd
#### cd-empty-home
HOME=; cd; echo "$?"
#### cd-nonexistent
cd /no/such/dir; echo "status $?"
#### cd-to-file
: > afile; cd afile; echo "status $?"
#### cd-relative-dotdot
cd ..; cd work; pwd
#### cd-extra-args
cd . extra; echo $?
#### cd-illegal-option
cd -Z /
#### cdpath
CDPATH=/; cd usr 2>/dev/null || cd bin 2>/dev/null || echo no; echo "$PWD" | while read p; do case $p in /usr|/bin) echo ok;; *) echo "bad $p";; esac; done
#### pwd-options
pwd -L >/dev/null; pwd -P >/dev/null; echo ok; pwd -Z
#### oldpwd-set
cd /; echo "$OLDPWD" | while read o; do case $o in */work) echo ok;; *) echo "bad";; esac; done
#### read-basic
#@ stdin: hello world\nsecond line\n
read a b; echo "[$a][$b]"; read c; echo "[$c]"; read d; echo "status $? [$d]"
#### read-raw-and-escapes
#@ stdin: a\\b c\\\nnext\n
read x; echo "[$x]"
#### read-r
#@ stdin: a\\b c\\\n
read -r x; echo "[$x]"
#### read-ifs
#@ stdin: a:b:c:d\n
IFS=: read x y rest; echo "[$x][$y][$rest]"
#### read-trailing-ifs
#@ stdin:   lead  trail  \n
read x; echo "[$x]"; 
#### read-no-newline-at-eof
printf 'last' > f; read x < f; echo "$? [$x]"
#### read-empty-input
read x < /dev/null; echo "$? [$x]"
#### read-no-args
read < /dev/null
#### read-bad-name
echo x | { read 1a; echo "status $?"; }
#### read-prompt-not-shown
echo v | { read -p 'Prompt: ' x; echo "[$x]"; }
#### read-illegal-option
echo v | { read -t 1 x; echo "status $?"; }
#### read-more-vars-than-fields
echo a | { read x y z; echo "[$x][$y][$z]"; }
#### read-loop-lines
printf 'one\ntwo\nthree\n' > f; while read -r line; do echo "> $line"; done < f
#### read-ifs-non-whitespace
echo 'a,,b' | { IFS=, read x y z; echo "[$x][$y][$z]"; }
#### read-with-ifs-empty
echo '  spaced  ' | { IFS= read -r x; echo "[$x]"; }
#### getopts-loop
set -- -a -b value -c rest1 rest2
while getopts ab:c opt; do echo "opt=$opt arg=${OPTARG-}"; done; echo "OPTIND=$OPTIND"; shift $((OPTIND-1)); echo "rest: $*"
#### getopts-combined
set -- -ab file; while getopts ab o; do echo $o; done; echo $OPTIND
#### getopts-illegal
set -- -x; getopts a o; echo "$? $o ${OPTARG-unset}"
#### getopts-missing-arg
set -- -b; getopts b: o; echo "$? $o ${OPTARG-unset}"
#### getopts-silent
set -- -x -b; getopts :ab: o; echo "$o ${OPTARG-}"; getopts :ab: o; echo "$o ${OPTARG-}"
#### getopts-explicit-args
getopts a: o -a val; echo "$o $OPTARG $OPTIND"
#### getopts-end
set -- a; getopts x o; echo "$? [$o] $OPTIND"
#### getopts-double-dash
set -- -- -a; getopts a o; echo "$? $o $OPTIND"
#### getopts-reset
set -- -a; getopts a o; echo $o; OPTIND=1; getopts a o; echo $o again
#### getopts-in-function
f() { OPTIND=1; while getopts v o; do echo "f:$o"; done; }; f -v; f -v -v
#### getopts-usage
getopts
#### umask-show-set
umask; umask 077; umask; umask -S; umask 0022; umask -S
#### umask-symbolic
umask u=rwx,g=rx,o=; umask; umask g+w; umask; umask a-w; umask; umask o=r; umask
#### umask-bad
umask 999; echo "status $?"; umask a+z
#### umask-affects-new-files
umask 027; : > masked; umask 022
#### type-builtins
type echo cd : export if
#### type-function-and-missing
f() { :; }; type f; type nosuch_zz; echo "status $?"
#### type-path
type sh | while read a b c; do echo "$a $b"; done
#### command-v
f() { :; }; command -v echo; command -v f; command -v if; command -v nosuch_zz; echo "status $?"
#### command-v-path
command -v sh | while read p; do case $p in */sh) echo path;; *) echo "bad $p";; esac; done
#### command-V
command -V echo; command -V export
#### command-skips-functions
echo() { builtin_shadow=1; }; command echo via-command
#### command-runs-builtins
command cd /; pwd; command export cv=1; echo $cv
#### command-not-found
command nosuch_zz; echo $?
#### export-and-list
export EXP1=a; export EXP2; export -p | while read -r l; do case $l in *EXP*) echo "$l";; esac; done
#### export-no-split
x="a b"; export y=$x; echo "[$y]"
#### export-tilde
HOME=/h; export T=~/x; echo $T
#### export-bad-name
export 1x=2; echo no
#### readonly
readonly R=1; echo $R; R=2; echo no
#### readonly-list
readonly RO=v; readonly -p | while read -r l; do case $l in *RO=*) echo "$l";; esac; done
#### readonly-unset
readonly R=1; unset R; echo no
#### readonly-export
readonly R=1; export R=2; echo no
#### readonly-in-subshell
readonly R=1; (R=2); echo "after $?"
#### readonly-temp-assignment
readonly R=1; R=2 true; echo no
#### unset-var-and-function
x=1; f() { echo f; }; unset x; echo "[${x-unset}]"; unset f; f; unset -f f; f 2>/dev/null || echo gone
#### unset-bad-name
unset -v 1x; echo no
#### shift
set -- a b c d; shift; echo "$*"; shift 2; echo "$*"; shift 0; echo "$*"
#### shift-too-many
set -- a; shift 2; echo no
#### shift-illegal
shift x; echo no
#### eval
eval 'x=1; echo "x is $x"'; cmd='echo evaluated'; eval $cmd; eval "echo a" "b"
#### eval-empty
eval; echo "status $?"; eval ''; echo "status $?"
#### eval-syntax-error
eval 'if'; echo no
#### eval-not-found-prefix
eval nosuch_zz; echo "status $?"
#### eval-status
eval '(exit 3)'; echo $?
#### eval-nested
eval 'eval "echo nested"'
#### exec-redirects-shell
exec > out; echo to-file; exec >&2; echo "to stderr"
#### exec-replaces
exec sh -c 'echo replaced; exit 3'; echo no
#### exec-not-found
exec nosuch_zz; echo no
#### trap-exit
trap 'echo bye' EXIT; echo hi
#### trap-exit-status
trap 'echo "trap sees $?"' EXIT; (exit 3)
#### trap-exit-on-exit
trap 'echo bye' EXIT; exit 4
#### trap-exit-calls-exit
trap 'echo t; exit 5' EXIT; false
#### trap-list
trap 'echo x' INT TERM; trap; trap - INT; trap
#### trap-ignore-and-reset
trap '' HUP; trap; trap - HUP; trap; echo done
#### trap-bad-signal
trap 'echo a' FOO; echo "status $?"
#### trap-numeric
trap 'echo zero' 0; trap
#### trap-reset-with-number
trap 'echo x' INT TERM; trap 2 15; trap; echo done
#### trap-in-subshell
trap 'echo outer' EXIT; (trap 'echo inner' EXIT; echo sub); echo main
#### trap-exit-in-function
f() { trap 'echo from-f' EXIT; }; f; echo after
#### trap-sig-names
trap 'echo t' SIGINT sigterm 1; trap
#### kill-self-trap
trap 'echo got TERM' TERM; kill -TERM $$; echo after
#### kill-l
kill -l 15; kill -l 130
#### kill-no-such
kill 99999; echo "status $?"
#### kill-usage
kill
#### times
times
#### dot-file
echo 'echo in-dot $1; dotvar=set; return 3; echo no' > dotf; . ./dotf arg; echo "$? $dotvar"
#### dot-not-found
. ./missing_zz; echo no
#### dot-path-search
echo 'echo found-via-path' > pdot; PATH=.:$PATH; . pdot
#### dot-bare-name-not-in-cwd
echo 'echo x' > bare; . bare
#### dot-errors-have-file-prefix
printf 'echo one\nnosuch_zz\n' > d1; . ./d1; echo after
#### dot-syntax-error
printf 'if\n' > d2; . ./d2; echo no
#### source-not-in-dash
echo 'echo sourced' > s1; source ./s1; echo "status $?"
#### wait-builtin
wait; echo $?; sleep_pid=; wait $$; echo $?
#### hash
hash; echo "status $?"; hash -r; echo ok
#### ulimit
ulimit -n 100; ulimit -n; ulimit -x
#### alias
alias ll='ls -l'; alias ll; alias; unalias ll; unalias ll; echo "status $?"
#### jobs-fg
jobs; echo $?; fg
#### true-false-colon
true; echo $?; false; echo $?; :; echo $?; : ignored args; echo $?
#### builtin-io-error
exec >&-; echo x; echo "status $?" >&2
