# Error messages, line numbers and exit statuses as dash prints them.
#### syntax-fi-unexpected
echo a
fi
echo b
#### syntax-eof-expecting-then
echo first
if true
#### syntax-expecting-done
while :; do
  echo x
#### syntax-expecting-brace
{ echo a
#### syntax-paren
echo )
#### syntax-double-semicolon
echo a ;;
#### syntax-and-at-start
&& echo x
#### syntax-pipe-at-end
echo a |
#### syntax-unterminated-single
echo 'abc
#### syntax-unterminated-double
echo "abc
#### syntax-missing-brace
echo ${x
#### syntax-missing-arith-close
echo $((1+2)
#### syntax-backquote-eof
echo `echo
#### syntax-bad-for-variable
for 1x in a; do :; done
#### syntax-case-missing-in
case x
#### syntax-case-missing-paren
case x in a
#### syntax-case-missing-dsemi
case x in a) echo
#### syntax-empty-group
{ }
#### syntax-double-bang
! ! true
#### syntax-redirect-missing-target
echo >
#### syntax-redirect-semicolon
echo > ;
#### syntax-array-assignment
a=(1 2 3)
#### syntax-function-after-assignment
x=1 f() { :; }
#### syntax-else-semicolon
if true; then :; else; fi
#### syntax-line-number-multiline
echo 1
echo 2

if true; then
  echo 3
fi fi
#### syntax-in-command-substitution
echo $(if)
#### syntax-error-later-line-runs-earlier
echo runs
echo also
done
#### not-found-line-number
echo a
echo b
nosuch_cmd_zz
echo c
#### not-found-in-function-line
f() {
  echo in-f
  nosuch_zz
}
f
#### not-found-status-127
nosuch_zz; echo $?
#### not-found-with-path
./nosuch_zz; echo $?; /no/such/prog; echo $?
#### permission-denied-file
: > notexec; ./notexec; echo $?
#### permission-denied-dir
./.; echo $?
#### permission-denied-via-path
: > nx; PATH=.; nx; echo $?
#### multi-line-command-error-line
echo a; nosuch1 \
  arg; echo b
#### error-line-in-loop
for i in 1 2
do
  nosuch_zz
done
#### expansion-error-exits
echo before
echo ${undefined_zz?custom message}
echo after
#### expansion-error-in-subshell-continues
(echo ${undefined_zz?in sub}); echo "status $?"
#### arith-error-exits
echo $((1/0)); echo no
#### arith-error-in-cmdsubst-continues
x=$(echo $((1/0))); echo "status $?"
#### special-builtin-error-exits
shift 9; echo no
#### regular-builtin-error-continues
cd /no/such; echo "continued $?"
#### exit-status-truncated
exit 300
#### exit-negative-illegal
exit -1
#### exit-in-subshell
(exit 7); echo $?
#### exit-no-arg-uses-last
false; exit
#### command-error-after-redirect-error
nosuch_zz > /no/such/dir/f; echo $?
#### errors-go-to-stderr
nosuch_zz 2>/dev/null; echo "hidden $?"
#### error-in-eval-prefix
eval 'nosuch_zz'; eval 'cd /no/such'
#### bad-substitution-line
echo one
echo ${x!}
#### syntax-error-in-eval-line
echo a
eval 'echo b
if'
#### printf-errors
printf '%d\n' abc 12x 99999999999999999999; echo "status $?"
#### printf-bad-directive
printf 'ab%zcd\n'; echo "status $?"
#### printf-missing-format
printf; echo "status $?"
#### test-errors
[ 1 -eq a ]; echo $?; [ 1 -eq ]; echo $?; [ a b c ]; echo $?; [ 1 = 1; echo $?
#### test-too-many
test 1 2 3 4 5; echo $?
