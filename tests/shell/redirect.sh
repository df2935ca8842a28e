# Redirections and here-documents.
#### output-and-append
echo one > f; echo two >> f; echo three >> f; while read l; do echo "[$l]"; done < f
#### truncate
echo long-line > f; echo s > f; read x < f; echo $x
#### create-empty
: > empty; > empty2; echo done
#### stderr-to-file
{ echo out; echo err >&2; } 2> errs; read e < errs; echo "got [$e]"
#### stderr-to-stdout
{ echo out; echo err >&2; } 2>&1 > /dev/null | while read l; do echo "pipe $l"; done
#### order-matters
{ echo e >&2; } 2>&1 >/dev/null
{ echo e2 >&2; } >/dev/null 2>&1
echo end
#### dev-null
echo hidden > /dev/null; echo shown; read x < /dev/null; echo "read status $?"
#### dev-stdout-stderr
echo to-stdout > /dev/stdout; echo to-stderr > /dev/stderr
#### fd-3
exec 3> three; echo via3 >&3; exec 3>&-; read x < three; echo $x
#### fd-dup-input
echo data > in; exec 4< in; read x <&4; echo "[$x]"; exec 4<&-
#### bad-fd
echo x >&5; echo "status $?"
#### closed-stdout
echo a; exec 1>&-; echo b; echo c >&2
#### close-stdin
read x <&-; echo "status $?"
#### noclobber
echo a > f; set -C; echo b > f; echo "status $?"; echo c >| f; read x < f; echo $x; set +C; echo d > f; read x < f; echo $x
#### read-write-open
echo hello > rw; exec 3<> rw; read x <&3; echo "[$x]"
#### missing-input-file-builtin
read x < nofile; echo "status $?"
#### directory-nonexistent
echo x > nodir/f; echo "status $?"
#### redirect-to-directory
echo x > .; echo "status $?"
#### redirect-target-not-globbed
echo x > 'g*'; echo y > g*; read a < 'g*'; echo $a
#### redirect-target-not-split
f="a b"; echo x > $f; read y < "a b"; echo $y
#### redirect-target-tilde
HOME=$PWD; echo tilde > ~/t; read x < t; echo $x
#### redirect-special-builtin-failure-exits
: > nodir/x; echo notreached
#### redirect-regular-builtin-failure-continues
echo x > nodir/x; echo continued
#### redirect-on-compound
if true; then echo in-if; fi > f; read x < f; echo $x
while false; do :; done > g; echo "loop $?"
#### redirect-before-command
> f echo before; read x < f; echo $x
#### multiple-redirects
echo a > f1 > f2; read x < f1; echo "[$x]"; read y < f2; echo "[$y]"
#### heredoc-basic
cat <<EOF
line 1
  indented
EOF
#### heredoc-builtin-reader
while read l; do echo "[$l]"; done <<EOF
line 1
  indented
EOF
#### heredoc-expands
x=world; while read -r l; do echo "$l"; done <<EOF
hello $x $(echo cmd) $((1+1)) \$x \\ \`
EOF
#### heredoc-quoted
x=world; while read -r l; do echo "$l"; done <<'EOF'
hello $x $(echo cmd) \$x
EOF
#### heredoc-partially-quoted-delimiter
read -r l <<E"O"F
$HOME
EOF
echo "$l"
#### heredoc-backslash-delimiter
read -r l <<\EOF
$HOME
EOF
echo "$l"
#### heredoc-strip-tabs
while read -r l; do echo "[$l]"; done <<-EOF
	tabbed
		more
	EOF
#### heredoc-two-on-one-line
read a <<A; read b <<B
first
A
second
B
echo "$a $b"
#### heredoc-in-function
f() { read -r l <<EOF
in function $1
EOF
echo "$l"
}; f arg
#### heredoc-in-loop
for i in 1 2; do read -r l <<EOF
iteration $i
EOF
echo "$l"; done
#### heredoc-to-read
read a b <<EOF
x y
EOF
echo "$a-$b"
#### heredoc-with-quotes-inside
read -r l <<EOF
"double" 'single' \"esc\"
EOF
echo "$l"
#### heredoc-continuation
read -r l <<EOF
joined \
line
EOF
echo "$l"
#### heredoc-empty
read l <<EOF
EOF
echo "after $?"
#### heredoc-unterminated
read -r l <<EOF
no end
#### heredoc-to-file
{ while read -r l; do echo "$l"; done; } > conf <<EOF
key=value
EOF
while read l; do echo "[$l]"; done < conf
#### heredoc-pipe
while read l; do echo "$l"; done <<EOF | while read l; do echo "piped: $l"; done
a
b
EOF
#### heredoc-in-command-substitution
x=$(while read l; do echo "$l"; done <<EOF
inside
EOF
); echo "[$x]"
#### here-string-rejected
read x <<< "word"
#### fd-in-variable-is-error
fd=3; echo x >&$fd
#### dup-quoted-fd
echo quoted-dup >&"2"
#### io-number-must-touch
echo 2 >f; read x < f; echo $x; echo 2>f x; echo 12>g; read y < g; echo $y
#### heredoc-cat
#@ needs: cat
cat <<EOF
plain $((2*3))
EOF
#### missing-input-file
#@ needs: cat
cat < nofile; echo "status $?"
#### fd-in-variable-bad-value
x=y; echo before; echo a >&$x; echo notreached
#### fd-in-variable-empty
echo a >&$unset_var; echo notreached
