# Compound commands: if, while, until, for, case, groups, break/continue.
#### if-elif-else
for x in 1 2 3; do if [ $x = 1 ]; then echo one; elif [ $x = 2 ]; then echo two; else echo other; fi; done
#### if-status-when-no-branch
if false; then :; fi; echo $?
#### if-status-of-branch
if true; then (exit 3); fi; echo $?
#### while-loop
i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done
#### until-loop
i=3; until [ $i -eq 0 ]; do echo $i; i=$((i-1)); done
#### loop-status
while false; do :; done; echo $?; i=0; while [ $i -lt 1 ]; do i=1; (exit 4); done; echo $?
#### for-list
for w in a "b c" d; do echo "[$w]"; done
#### for-without-in-uses-args
set -- x y; for a; do echo $a; done
#### for-without-in-semicolon
set -- p q; for a; do echo $a; done
#### for-with-empty-list
for a in; do echo never; done; echo done $?
#### for-glob-no-match
for f in *.nomatch; do echo "$f"; done
#### for-var-after-loop
for v in 1 2 3; do :; done; echo $v
#### for-newlines
for v in a b
do
  echo $v
done
#### case-basic
for x in apple banana cherry 42 ""; do case $x in a*) echo "A $x";; b*|c*) echo "BC $x";; [0-9]*) echo "num";; "") echo empty;; esac; done
#### case-default-and-no-match
case zz in a) echo a;; esac; echo $?; case zz in *) echo star;; esac
#### case-quoted-pattern
x='*'; case a in "$x") echo quoted;; $x) echo unquoted;; esac
#### case-paren-form
case b in (a) echo a;; (b) echo b;; esac
#### case-empty-body
case a in a) ;; esac; echo $?
#### case-last-without-dsemi
case a in b) echo b;; a) echo a
esac
#### case-char-classes
for c in a Z 5 _ '.'; do case $c in [[:lower:]]) echo lower;; [[:upper:]]) echo upper;; [[:digit:]]) echo digit;; [!a-z]) echo other;; esac; done
#### case-with-variable-subject
os=linux; case "$os" in linux|darwin) echo unix;; *) echo other;; esac
#### case-uname-style
arch=x86_64; case "$arch" in x86_64|amd64) a=amd64;; aarch64|arm64) a=arm64;; *) echo "unsupported $arch"; exit 1;; esac; echo $a
#### break-and-continue
for i in 1 2 3 4 5; do if [ $i = 2 ]; then continue; fi; if [ $i = 4 ]; then break; fi; echo $i; done
#### break-n
for i in 1 2; do for j in a b; do echo $i$j; break 2; done; done; echo out
#### continue-n
for i in 1 2; do for j in a b; do echo $i$j; continue 2; echo no; done; done
#### break-too-many
for i in 1 2; do break 5; done; echo ok
#### break-outside-loop
break; continue; echo ok
#### break-illegal
for i in 1; do break 0; done
#### while-with-break-status
while :; do break; done; echo $?
#### group-status
{ false; }; echo $?; { true; false; true; }; echo $?
#### group-redirect
{ echo a; echo b; } > out; while read l; do echo "got $l"; done < out
#### nested-compound
for i in 1 2; do case $i in 1) if true; then while false; do :; done; echo one; fi;; *) { echo other; };; esac; done
#### and-or-lists
true && echo a || echo b; false && echo c || echo d; false || false || echo e; true && false && echo f; echo $?
#### negation
! true; echo $?; ! false; echo $?; ! (exit 3); echo $?
#### semicolons-and-newlines
echo a; echo b
echo c;
echo d
#### keywords-as-arguments
echo if then else fi do done case esac while until for in
#### keyword-after-semicolon
true; if true; then echo ok; fi
#### redirect-after-done
for i in 1 2; do echo $i; done > f; while read x; do echo "r$x"; done < f
#### loop-reads-file
printf 'a\nb\nc\n' > f; n=0; while read -r line; do n=$((n+1)); done < f; echo $n
#### if-in-pipeline
if true; then echo x; fi | while read a; do echo "piped $a"; done
