# Pipelines, subshells, background jobs.
#### simple-pipe
echo hello | while read x; do echo "got $x"; done
#### pipe-status-is-last
false | true; echo $?; true | false; echo $?
#### negated-pipe
! false | false; echo $?
#### pipe-stages-are-subshells
x=1; echo 2 | read x; echo $x; echo | x=3; echo $x
#### long-pipeline
echo a | { read x; echo "$x b"; } | { read y; echo "$y c"; } | { read z; echo "$z d"; }
#### pipe-newline-after-bar
echo a |
  while read x; do echo "[$x]"; done
#### subshell-isolation
x=1; (x=2; echo "in $x"); echo "out $x"
#### subshell-cd
(cd /; pwd); pwd
#### subshell-exit
(exit 5); echo $?; (echo a; exit 2; echo b); echo $?
#### subshell-functions
(f() { echo inner; }; f); f 2>/dev/null || echo "f not defined outside"
#### nested-subshells
( ( (echo deep) ) )
#### command-substitution-subshell
x=1; y=$(x=2; echo $x); echo $x $y
#### command-substitution-strips-newlines
x=$(printf 'a\n\n\n'); echo "[$x]"; y=$(printf '\n\nb'); echo "[$y]"
#### command-substitution-status
x=$(exit 3); echo $?; $(exit 4); echo $?
#### backquotes
x=`echo back`; echo $x `echo two`
#### nested-command-substitution
echo $(echo $(echo $(echo deep)))
#### command-substitution-in-double-quotes-keeps-spaces
x="$(echo '  a   b  ')"; echo "[$x]"
#### command-substitution-unquoted-is-split
for w in $(echo 'one two  three'); do echo "<$w>"; done
#### command-substitution-case
x=$(case a in a) echo matched;; esac); echo $x
#### command-substitution-paren-in-comment
x=$(
  # a comment with ) in it
  echo ok
); echo $x
#### background-and-wait
(exit 3) & p=$!; wait $p; echo "waited $?"
#### background-dollar-bang
true & case $! in *[!0-9]*|'') echo bad;; *) echo numeric;; esac
#### wait-all
true & false & wait; echo "all $?"
#### wait-unknown-pid
wait 99999; echo $?
#### background-output-order
echo first & wait; echo second
#### background-stdin-is-null
echo data | { read x & wait; echo "[${x-}]"; }
#### background-subshell-vars
x=1; x=2 & wait; echo $x
#### yes-like-loop-into-head
#@ gap: an endless shell loop feeding a pipe: stages run one after another, so the producer never sees its reader go away (the step limit stops it)
while :; do echo y; done | { read a; echo "$a"; }
#### pipe-into-subshell-group
printf '1\n2\n3\n' | (while read n; do s=$((${s:-0}+n)); done; echo "sum $s")
#### pipe-with-stderr
{ echo out; echo err >&2; } 2>&1 | while read l; do echo "[$l]"; done
#### exec-in-subshell
(exec echo via-exec); echo after
