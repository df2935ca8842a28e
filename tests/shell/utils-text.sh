#### cat-number-squeeze
#@ needs: cat printf
printf 'a\n\n\n\nb\n' > f
cat -n f
cat -sn f
cat -A f
cat f - f < f | cat -b
#### cat-missing-and-dir
#@ needs: cat mkdir
mkdir d
cat nope d
echo "status $?"
cat < /dev/null
#### head-tail-counts
#@ needs: seq head tail
seq 20 > n
head -3 n
head -n -17 n
tail -n 2 n
tail -n +19 n
tail -c 7 n
head -c 5 n
seq 5 | tail -1
seq 5 | head -n1
#### head-tail-headers
#@ needs: head tail printf
printf '1\n2\n' > a
printf '3\n4\n' > b
head -n1 a b
tail -qn1 a b
head -v -n1 a
tail nope a
echo "status $?"
#### wc-columns
#@ needs: wc printf cat
printf 'one two\nthree\n' > f
printf 'x\n' > g
wc f
wc -l f g
wc -c < f
cat f | wc -w
wc -lwc f g nope
echo "status $?"
#### sort-uniq-pipeline
#@ needs: printf sort uniq head
printf 'pear\napple\npear\nfig\napple\npear\n' | sort | uniq -c | sort -rn | head -2
printf 'b\na\nb\n' | sort -u
printf '10\n9\n100\n' | sort -n
printf 'x:3\ny:1\nz:2\n' | sort -t: -k2n
printf 'a\nA\nb\n' | sort -f
printf 'b\na\n' | sort -c
echo "status $?"
#### sort-keys-and-reverse
#@ needs: printf sort
printf 'web 80\ndb 5432\ncache 6379\n' > ports
sort -k2 -n ports
sort -k2nr ports
sort -r ports
sort -k1,1 -k2n ports
printf '1.10\n1.2\n1.9\n' | sort -V
#### tr-classes
#@ needs: echo tr
echo 'Hello, World' | tr '[:lower:]' '[:upper:]'
echo 'Hello, World' | tr -d '[:punct:]'
echo 'a   b    c' | tr -s ' '
echo 'a:b:c' | tr ':' '\n'
echo 'abc123' | tr -cd '[:digit:]'
echo
echo 'hello' | tr 'a-y' 'b-z'
tr
echo "status $?"
#### cut-fields
#@ needs: printf cut
printf 'root:x:0:0:root:/root:/bin/bash\nwww:x:33:33::/var/www:/usr/sbin/nologin\n' > passwd
cut -d: -f1 passwd
cut -d: -f1,7 passwd
cut -d: -f3- passwd
cut -c1-4 passwd
echo 'a b c' | cut -d' ' -f2
cut -f1 -d
echo "status $?"
#### printf-formats
#@ needs: printf
printf '%5s|%-5s|%05d|%x|%o|%.2f|%e\n' ab cd 42 255 8 3.14159 1234.5
printf '%s=%s\n' a 1 b 2 c
printf '%b\n' 'tab\there' 'nl\\n'
printf '%c%c%c\n' hello world '!'
printf '%d\n' 0x10 010 "'A"
printf '%d\n' abc
echo "status $?"
printf '%q\n' x
echo "status $?"
#### echo-binary
#@ needs: echo env
env echo -n 'no newline'
env echo
env echo -e 'a\tb'
env echo 'a\tb'
env echo -- -n
#### seq-forms
#@ needs: seq
seq 3
seq 2 4
seq 10 -3 1
seq -s, 5
seq -w 8 11
seq 0 0.25 1
seq -f 'item%g' 3
seq 5 1
echo "status $?"
#### basename-dirname
#@ needs: basename dirname
basename /usr/local/bin/node
basename /usr/local/lib/ 
basename app.tar.gz .tar.gz
basename -a a/b c/d
dirname /usr/local/bin/node
dirname node
dirname /
dirname a/b/ c
#### tee-append
#@ needs: echo tee cat
echo one | tee out
echo two | tee -a out > /dev/null
cat out
echo three | tee nodir/x
echo "status $?"
#### base64-roundtrip
#@ needs: echo base64 printf
echo 'secret value' | base64
echo 'c2VjcmV0IHZhbHVlCg==' | base64 -d
printf 'abc' | base64 | base64 -d
echo
#### expr-arithmetic
#@ needs: expr
expr 3 + 4
expr 10 / 3
expr 6 \* 7
i=0
while [ "$(expr $i \< 3)" = 1 ]; do i=$(expr $i + 1); done
echo $i
expr length "hello world"
expr "v1.2.3" : 'v\([0-9]*\)'
expr 1 / 0
echo "status $?"
#### tac-paste-fold
#@ needs: printf tac paste fold
printf '1\n2\n3\n' > a
printf 'x\ny\nz\n' > b
tac a
paste a b
paste -d= a b
paste -s -d, a
echo 'the quick brown fox' | fold -w 10
echo 'the quick brown fox' | fold -s -w 10
