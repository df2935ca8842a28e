# Functions, positional parameters in functions, local, return.
#### define-and-call
greet() { echo "hello $1"; }; greet world; greet "big world"
#### function-args-and-count
f() { echo "$# [$*] [$1] [$2]"; }; f; f a; f a b c
#### function-restores-positionals
set -- outer; f() { set -- inner; echo $1; }; f; echo $1
#### return-status
f() { return 3; }; f; echo $?; g() { false; }; g; echo $?; h() { return; }; false; h; echo $?
#### return-large
f() { return 256; }; f; echo $?
#### return-illegal
f() { return abc; }; f; echo after
#### function-exit-exits-shell
f() { exit 4; }; f; echo no
#### recursion
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }; fact 6
#### local-variables
x=global; f() { local x=local; echo $x; g; }; g() { echo "g sees $x"; }; f; echo $x
#### local-without-value-keeps-value
x=1; f() { local x; echo "[$x]"; x=2; }; f; echo $x
#### local-outside-function
local x=1; echo $?
#### local-unset
x=g; f() { local x=1; unset x; echo "[${x-unset}]"; }; f; echo $x
#### local-dash-options
f() { local -; set -f; echo "$-"; }; f; echo "[$-]"
#### function-overrides-builtin
echo() { printf 'my echo %s\n' "$*"; }; echo hi; unset -f echo; echo back
#### function-name-special-builtin-is-error
export() { :; }
#### function-bad-name
1f() { :; }
#### function-with-redirect
f() { echo redirected; } > out; f; read l < out; echo "[$l]"
#### function-body-is-any-compound
f() ( echo subshell body; x=1 ); x=0; f; echo $x; g() if true; then echo if-body; fi; g
#### function-definition-status
f() { false; }; echo $?
#### break-inside-function-is-ignored
f() { break; }; for i in 1 2; do f; echo $i; done
#### function-sees-temp-vars
f() { echo "[$A]"; }; A=5 f; echo "[${A-unset}]"
#### function-in-subshell
f() { echo in-f; }; (f); echo $(f)
#### unset-function
f() { echo f; }; unset -f f; f
#### dollar-zero-in-function
f() { echo "$0"; }; f
#### nested-function-definitions
outer() { inner() { echo inner; }; }; outer; inner
#### function-modifies-global
f() { g=changed; }; g=orig; f; echo $g
#### return-in-loop-in-function
f() { for i in 1 2 3; do if [ $i = 2 ]; then return $i; fi; done; }; f; echo $?
#### deep-recursion
f() { if [ $1 -gt 0 ]; then f $(($1 - 1)); else echo bottom; fi; }; f 40
