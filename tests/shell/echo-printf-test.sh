# echo, printf and test as dash's builtins.
#### echo-escapes
echo 'tab:\t nl:\n bs:\\ oct:\101 nul-term:\0101 bell-free'
#### echo-c-stops
echo 'abc\cdef' more; echo next
#### echo-n
echo -n no-newline; echo; echo -n; echo x
#### echo-n-only-first
echo -n -n x; echo -e y; echo -- z
#### echo-empty
echo; echo ''; echo "" ""
#### echo-many-args
echo a   b    c
#### printf-basic
printf '%s=%d\n' a 1 b 2 c
#### printf-reuses-format
printf '%s,' a b c; echo
#### printf-width-precision
printf '[%5s][%-5s][%.2s][%5.1f][%-6d][%06d][%+d][% d]\n' ab ab abc 3.14159 42 42 42 42
#### printf-integers
printf '%d %i %o %x %X %u %#x %#o\n' 255 -7 8 255 255 42 255 8
#### printf-char-arg
printf '%d %d\n' "'A" '"B'
#### printf-floats
printf '%f %.2f %e %E %g %G %.3g\n' 1.5 2.345 12345.678 0.00012 100000 1e-10 3.14159
#### printf-special-floats
printf '%f %f\n' inf nan
#### printf-b
printf '%b|%b|%b\n' 'a\tb' 'oct\0101' 'stop\cnever'; echo end
#### printf-c
printf '%c%c%c\n' abc d ''
#### printf-percent
printf '100%%\n'; printf '%s%%\n' 5
#### printf-escapes-in-format
printf 'a\tb\\c\101\n'
#### printf-star-width
printf '[%*d][%-*s]\n' 5 1 4 ab
#### printf-missing-args
printf '%s|%d|%s\n' only
#### printf-hex-octal-args
printf '%d %d %d\n' 0x10 010 -0x10
#### printf-negative-unsigned
printf '%u %x\n' -1 -1
#### printf-no-format-args
printf 'plain\n' extra args
#### printf-dash-dash
printf -- '-dash\n'
#### test-strings
[ a = a ]; echo $?; [ a != b ]; echo $?; [ -z "" ]; echo $?; [ -n x ]; echo $?; [ x ]; echo $?; [ "" ]; echo $?
#### test-integers
[ 2 -gt 1 ]; echo $?; [ 1 -ge 1 ]; echo $?; [ -5 -lt 0 ]; echo $?; [ 3 -le 2 ]; echo $?; [ 1 -ne 1 ]; echo $?; [ " 7 " -eq 7 ]; echo $?
#### test-logic
[ 1 = 1 -a 2 = 2 ]; echo $?; [ 1 = 2 -o 2 = 2 ]; echo $?; [ ! 1 = 2 ]; echo $?; [ \( 1 = 1 \) ]; echo $?
#### test-string-order
[ a \< b ]; echo $?; [ b \> a ]; echo $?; [ B \< a ]; echo $?
#### test-files
: > f; [ -f f ]; echo $?; [ -e f ]; echo $?; [ -d f ]; echo $?; [ -d . ]; echo $?; [ -s f ]; echo $?; echo x > g; [ -s g ]; echo $?; [ -e nofile ]; echo $?
#### test-file-perms
: > f; [ -r f ]; echo $?; [ -w f ]; echo $?; [ -x f ]; echo $?; [ -x . ]; echo $?
#### test-symlink
#@ needs: ln
: > t; ln -s t l; [ -L l ]; echo $?; [ -h l ]; echo $?; [ -L t ]; echo $?
#### test-argument-count-rules
[ ]; echo $?; [ -n ]; echo $?; [ ! ]; echo $?; [ -z ]; echo $?; [ = ]; echo $?; [ ! = ]; echo $?
#### test-dash-operand
x=-n; [ "$x" = -n ]; echo $?; [ -f = -f ]; echo $?
#### test-paren-count
[ \( \) ]; echo $?; [ \( a \) ]; echo $?
#### test-missing-bracket
[ 1 = 1; echo $?
#### test-nt-ot
: > old; : > new; [ new -nt nofile ]; echo $?; [ nofile -ot new ]; echo $?; [ old -ef old ]; echo $?
#### test-unexpected
[ a = b = c ]; echo $?
#### test-empty-file-string
[ -f "" ]; echo $?; [ -d "" ]; echo $?
