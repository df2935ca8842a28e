# Field splitting with IFS, and pathname expansion against the files.
#### default-ifs-splitting
x='  a  b	c
d  '; for w in $x; do echo "<$w>"; done
#### custom-ifs
IFS=:; x='a:b::c:'; for w in $x; do echo "<$w>"; done
#### ifs-whitespace-and-other
IFS=' :'; x=' a : b :: c '; for w in $x; do echo "<$w>"; done
#### ifs-leading-delimiter
IFS=:; x=':a'; set -- $x; echo $#; for w; do echo "<$w>"; done
#### empty-ifs-no-splitting
IFS=; x='a b c'; for w in $x; do echo "<$w>"; done
#### unset-ifs-default
x='a b'; unset IFS; for w in $x; do echo "<$w>"; done
#### ifs-affects-only-expansions
IFS=:; for w in a:b $(echo c:d); do echo "<$w>"; done
#### splitting-of-concatenated
x='a b'; for w in pre$x"post q"; do echo "<$w>"; done
#### empty-expansion-vanishes
e=; set -- $e; echo $#; set -- "$e"; echo $#; set -- $e$e; echo $#; set -- ''$e; echo $#
#### whitespace-only-vanishes
w='   '; set -- $w; echo $#
#### ifs-in-command-substitution
IFS=,; for w in $(echo 'a,b,c'); do echo "<$w>"; done
#### ifs-arith-result
IFS=1; echo $((10+1))x
#### ifs-restore
old=$IFS; IFS=,; x=a,b; set -- $x; echo $#; IFS=$old; set -- $x; echo $#
#### read-vs-expansion-ifs
IFS=: read a b <<E
x:y
E
echo "$a|$b"
#### glob-star
: > a1; : > a2; : > b1; echo a*; echo *1; echo *
#### glob-question-and-class
: > x1; : > x2; : > xa; echo x?; echo x[0-9]; echo x[!0-9]; echo x[12a]
#### glob-no-match-kept
echo nomatch*; echo "no*"; echo no\*
#### glob-hidden-files
: > .hidden; : > shown; echo *; echo .*; echo .h*
#### glob-sorted
: > b; : > a; : > C; : > _; : > 1; echo *
#### glob-quoted-parts-literal
: > 'a*b'; : > axb; echo a"*"b; echo a*b
#### glob-from-variable
: > p1; : > p2; pat='p*'; echo $pat; echo "$pat"
#### glob-noglob
: > n1; set -f; echo n*; set +f; echo n*
#### glob-in-assignment-not-expanded
: > g1; x=g*; echo "$x"; echo $x
#### glob-in-case-word-not-expanded
: > c1; case c* in c\*) echo literal;; *) echo other;; esac
#### glob-escaped-in-variable
: > 'e*'; : > e1; x='e\*'; echo $x
#### glob-bracket-unclosed
: > '[a'; echo [a; echo [
#### glob-trailing-slash
#@ needs: mkdir
mkdir d1 d2; : > f1; echo */; echo d*/
#### glob-in-subdir
#@ needs: mkdir
mkdir sub; : > sub/x; : > sub/y; echo sub/*; echo */x
#### glob-dot-dirs
#@ needs: mkdir
mkdir dd; cd dd; echo .*; echo ..*
#### glob-char-class-names
: > A; : > b; : > 3; echo [[:upper:]]; echo [[:digit:]]; echo [[:alpha:]]
#### glob-for-loop
: > one.txt; : > two.txt; for f in *.txt; do echo "file $f"; done
#### glob-with-ifs-chars-in-names
: > 'sp ace'; for f in sp*; do echo "<$f>"; done
#### tilde-after-colon-in-assignment
HOME=/h; PATH2=~/bin:~/sbin; echo $PATH2; x=a:~; echo $x
#### tilde-not-after-colon-in-word
HOME=/h; echo a:~/b
#### dollar-at-quoted-splitting
set -- "1 2" "3"; x=("nothing") 2>/dev/null; echo done
#### backslash-in-unquoted-expansion
x='a\b'; echo $x; echo "$x"
#### quoted-empty-with-at
set -- a; for x in "" "$@" ""; do echo "<$x>"; done
#### multiple-at-in-word
set -- a b; for x in "$@$@"; do echo "<$x>"; done
#### ifs-first-char-for-star
IFS='-:'; set -- a b; echo "$*"
#### command-subst-trailing-newline-split
for w in $(printf 'a\nb\n\n'); do echo "<$w>"; done
#### length-of-multibyte
x=héllo; echo ${#x}
#### pattern-with-multibyte
#@ gap: patterns match characters, dash in the C locale matches bytes (it cuts a UTF-8 character in half)
x=héllo; echo ${x#h?}
