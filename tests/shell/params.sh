# Parameter expansion: all POSIX forms and special parameters.
#### default-and-assign
unset x; echo "${x-def}" "${x:-def}"; x=; echo "[${x-def}]" "${x:-def}"
echo "${y=set1}" "$y"; y=; echo "${y:=set2}" "$y"
#### alternative
x=1; echo "${x+alt}" "${x:+alt}"; x=; echo "[${x+alt}]" "[${x:+alt}]"; unset x; echo "[${x+alt}]"
#### error-unset
x=ok; echo "${x?never}"; echo "${y?is missing}"; echo notreached
#### error-null
x=; echo "${x:?}"
#### error-default-message
echo ${zz?}
#### length
x=hello; echo ${#x}; x=; echo ${#x}; unset x; echo ${#x}
#### length-of-positionals
set -- a bb ccc; echo ${#} ${#1} ${#2} ${#3} ${#@} ${#*}
#### trim-suffix
x=file.tar.gz; echo ${x%.gz} ${x%.*} ${x%%.*} ${x%nomatch}
#### trim-prefix
x=/usr/local/bin/tool; echo ${x#/} ${x#*/} ${x##*/} ${x#nomatch}
#### trim-with-quoted-pattern
x='a*b*c'; echo "${x#'a*'}" "${x#a*}" "${x%"*c"}" "${x%%\**}"
#### trim-with-variable-pattern
x=abcabc; p='b*'; echo "${x#*$p}" "${x%$p}" "${x%"$p"}"
#### trim-bracket-patterns
x=v1.2.3-rc1; echo "${x%%-*}" "${x#v}" "${x%[0-9]}" "${x##*[!0-9]}"
#### positional
set -- one two three four five six seven eight nine ten eleven
echo $1 $9 ${10} ${11} $10
#### positional-unset
set -- a; echo "[$2]" "[${2-u}]"
#### special-params
set -- a b; echo $# "$*" "$@"; false; echo $?; echo "$0"
#### dollar-dollar-is-a-number
case $$ in *[!0-9]*) echo bad;; *) echo ok;; esac
#### dollar-bang-unset
echo "[${!-none}]"
#### star-and-at-quoted
set -- "a b" c; for i in "$@"; do echo "<$i>"; done; for i in "$*"; do echo "<$i>"; done
#### star-and-at-unquoted
set -- "a b" c; for i in $@; do echo "<$i>"; done; for i in $*; do echo "<$i>"; done
#### at-with-no-params
set --; for i in "$@"; do echo "<$i>"; done; echo "count $#"; for i in "$@"""; do echo "<$i>"; done
#### at-with-prefix-suffix
set -- a b c; for i in "x$@y"; do echo "<$i>"; done
#### star-joins-with-ifs
set -- a b c; IFS=:; echo "$*"; IFS=; echo "$*"; unset IFS; echo "$*"
#### at-in-assignment-joins
set -- a b; x="$@"; echo "[$x]"; IFS=-; y=$*; echo "[$y]"
#### alternative-with-at
set -- "a b" c; for i in ${1+"$@"}; do echo "<$i>"; done
#### nested-expansions
unset a b; echo ${a:-${b:-deep}}; b=mid; echo ${a:-${b:-deep}}
#### default-word-is-split-when-unquoted
unset x; for i in ${x:-a b  c}; do echo "<$i>"; done; for i in "${x:-a b  c}"; do echo "<$i>"; done
#### assign-default-value-used
unset x; for i in ${x:=p q}; do echo "<$i>"; done; echo "[$x]"
#### bad-substitution-runtime
echo start; echo ${x/a/b}; echo no
#### bad-substitution-colon-number
x=abc; echo ${x:1}
#### positional-assign-is-error
echo ${1=a}
#### braces-in-default
x=abc; echo ${x:-{a}} ${y:-{a}b}
#### quoted-brace-in-default
echo "${y:-a}b}" ${y:-"a}b"}
#### hash-special-forms
set -- a b c; echo ${#} ${##} ${#-} "${#:-x}"
#### unset-with-nounset-default-ok
set -u; echo ${nope:-fine} ${nope-fine2}; echo ${nope:+alt}end
#### nounset-error
set -u; echo before; echo $nope; echo after
#### nounset-positional
set -u; set -- a; echo $1; echo $2
#### nounset-at-ok
set -u; set --; echo "args: $@ $*"
#### param-in-heredoc
x=val; cat <<EOF2
x=$x ${x}s ${x:-d} ${#x}
EOF2
#### underscore-names
_a=1; a_b2=2; echo $_a $a_b2 ${_a}x
#### dollar-followed-by-non-name
echo $% $+ $, $. $/ $:
#### tilde-expansion
HOME=/h; echo ~ ~/x "~/q" x~ a=~/b; x=~; echo $x; y=a:~/b:~; echo $y
#### tilde-user
echo ~nosuchuser_zz
#### tilde-in-default
HOME=/hh; unset v; echo ${v:-~}/x
