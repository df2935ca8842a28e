# set options: -e -u -x -f -C -n -a, and how errors end the shell.
#### errexit-simple
set -e; echo a; false; echo no
#### errexit-in-condition
set -e; if false; then echo no; fi; while false; do :; done; false || echo or; false && echo no; ! true; echo survived
#### errexit-in-and-or-left
set -e; false && true; echo ok
#### errexit-last-of-and
set -e; true && false; echo no
#### errexit-group-in-or
set -e; { false; echo inside; } || true; echo after
#### errexit-function-in-condition
set -e; f() { false; echo f-continues; }; if f; then echo t; fi; f || echo x; f; echo no
#### errexit-subshell
set -e; (false; echo no); echo no2
#### errexit-subshell-in-condition
set -e; if (false; echo yes); then echo t; fi
#### errexit-pipeline
set -e; false | true; echo ok; true | false; echo no
#### errexit-command-substitution
set -e; x=$(false); echo no
#### errexit-command-substitution-in-arg
set -e; echo $(false) ok
#### errexit-cmdsubst-inside-condition
set -e; if x=$(false; echo a); then echo "t $x"; else echo "f $x"; fi
#### errexit-not-found
set -e; nosuch_cmd_zz; echo no
#### errexit-loop-body
set -e; for i in 1 2; do echo $i; false; done; echo no
#### errexit-case-body
set -e; case a in a) false;; esac; echo no
#### errexit-eval
set -e; eval 'false'; echo no
#### errexit-in-trap
set -e; trap 'echo trapped $?' EXIT; false; echo no
#### errexit-background
set -e; false & wait $!; echo no
#### errexit-negated-pipeline
set -e; ! false | false; echo ok
#### errexit-option-letter
set -o errexit; echo "$-"; set +e; echo "[$-]"
#### nounset
set -u; x=1; echo $x; echo ${y-def}; echo $y; echo no
#### nounset-length
set -u; echo ${#zz}
#### nounset-in-arith-is-fine
set -u; echo $((undefined_var + 1))
#### xtrace
set -x; x=1; echo "a b" $x; y=$(echo sub); f() { :; }; f arg
#### xtrace-redirect-not-shown
set -x; echo hidden >/dev/null; echo shown 2>/dev/null
#### xtrace-ps4
PS4='>> '; set -x; echo traced
#### xtrace-off
set -x; set +x; echo quiet
#### xtrace-compound
set -x; for i in 1; do case $i in 1) true;; esac; done; if true; then :; fi
#### noglob
echo x > a1; set -f; echo a*; set +f; echo a*
#### noexec
set -n; echo not-run
#### allexport
set -a; exported=1; sh -c 'echo "[$exported]"'
#### option-list
set -o
#### option-list-plus
set +o
#### set-positional
set -- a b c; echo $#; set x; echo $# $1; set --; echo $#
#### set-dash-dash-empty
set -- a; set -e --; echo $#
#### set-single-dash
set -- a b; set -x; set -; echo $# "$-"
#### set-illegal-option
set -q; echo no
#### set-illegal-long-option
set -o nosuch; echo no
#### pipefail-is-illegal-in-dash
set -o pipefail; echo no
#### set-prints-vars
x='it'"'"'s'; y=plain; set | while read -r l; do case $l in x=*|y=*) echo "$l";; esac; done
#### dollar-hyphen
echo "[$-]"; set -eu; echo "$-"; set -x; echo "$-"; set +eux
#### set-e-then-function
set -e; f() { return 1; }; f; echo no
#### errexit-return-in-function
set -e; f() { false; return 0; }; f; echo reached
#### errexit-and-or-in-function
set -e; f() { false || return 1; echo no; }; f || echo "f failed"; echo end
#### errexit-assignment-only
set -e; x=1; echo ok
