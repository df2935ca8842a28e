# Words and quoting: single, double, backslash, line continuation.
#### single-quotes-keep-everything
echo 'a $b `c` \d "e"'
#### double-quotes-expand
x=world; echo "hello $x" "${x}s" "\$x" "a\\b" "q\"q"
#### backslash-outside-quotes
echo \$x \\ \" \' a\ b
#### backslash-in-double-quotes-keeps-others
echo "\a\b\c\d \n"
#### line-continuation
echo one \
  two \
three
#### continuation-inside-word
ec\
ho joined
#### continuation-in-double-quotes
echo "ab\
cd"
#### no-continuation-in-single-quotes
echo 'ab\
cd'
#### empty-strings-are-arguments
set -- "" '' a; echo $#
#### adjacent-quotes-join
echo 'a'"b"c'd'
#### quoted-newline
echo "line1
line2"
#### dollar-single-quote-is-literal-in-dash
echo $'a\tb'
#### hash-inside-word-is-literal
echo a#b c #comment
echo #whole comment
#### quoted-hash
echo "#notcomment" '#' \#
#### special-chars-in-quotes
echo "; & | < > ( ) { }"
#### backslash-newline-at-end
printf '%s\n' abc\
#### quote-removal-of-empty
x=""; echo "[$x]" [$x] ["$x"]
#### dollar-at-end
echo $ "$" a$ "a$"
#### tilde-quoted
echo "~" '~' \~ ~x
#### nested-quotes-in-command-substitution
echo "$(echo "inner 'q' \"d\"")"
#### backquote-escapes
echo `echo \`echo nested\``
echo "`echo \"dq\"`"
#### braces-are-literal-words
echo { } {a,b} a{b}c
#### long-word
echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
