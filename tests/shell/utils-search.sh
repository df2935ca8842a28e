#### grep-basics
#@ needs: printf grep
printf 'alpha\nbeta\ngamma\nALPHA\n' > f
grep alpha f
grep -i alpha f
grep -v a f
grep -c a f
grep -n 'm\+' f
grep -E '^(b|g)' f
grep -o 'a.' f
grep -w beta f
grep -x gamma f
grep -q delta f
echo "status $?"
grep alpha nope
echo "status $?"
#### grep-context-and-files
#@ needs: seq grep printf
seq 10 > n
grep -A1 5 n
grep -B1 -C0 8 n
grep -C1 -e 2 -e 9 n
printf 'x\n' > a
printf 'y\nx\n' > b
grep x a b
grep -l x a b
grep -L y a b
grep -h x a b
#### grep-recursive-sorted
#@ needs: mkdir printf grep sort
mkdir -p src/sub
printf 'TODO one\n' > src/a.c
printf 'nothing\n' > src/b.c
printf 'TODO two\n' > src/sub/c.h
grep -r TODO src | sort
grep -rl TODO src | sort
grep -r --include='*.h' TODO src
grep -rc TODO src | sort
#### grep-pipeline-filters
#@ needs: printf grep wc
printf 'GET /a 200\nGET /b 404\nPOST /a 200\nGET /c 500\n' > log
grep ' 200$' log | wc -l
grep -v '^GET' log
grep -E ' (4|5)[0-9]{2}$' log
grep -c GET log
grep -F '/a' log
#### sed-substitute
#@ needs: echo sed printf
echo 'hello world' | sed 's/world/there/'
echo 'aaa' | sed 's/a/b/g'
echo 'aaa' | sed 's/a/b/2'
echo 'path/to/file' | sed 's|/|\\|g'
echo 'John Smith' | sed -E 's/(\w+) (\w+)/\2, \1/'
echo 'hello' | sed 's/.*/\U&/'
printf 'a=1\nb=2\n' | sed -n 's/=.*//p'
echo 'x' | sed 's/x/a\
b/'
#### sed-addresses-and-commands
#@ needs: seq sed printf
seq 6 > n
sed -n '2,4p' n
sed '3d' n
sed -n '$p' n
sed '1~2d' n
sed -n '/3/,/5/p' n
sed '2q' n
sed -e '1i\header' -e '$a\footer' n
sed 'N;s/\n/+/' n
sed -n '$=' n
sed '/4/c\four' n
printf 'a\nb\nc\n' | sed ':a;N;$!ba;s/\n/,/g'
#### sed-in-place
#@ needs: printf sed cat ls
printf 'listen 80;\nroot /var/www;\n' > nginx.conf
sed -i 's/80/8080/' nginx.conf
cat nginx.conf
sed -i.bak -e '/root/d' nginx.conf
cat nginx.conf nginx.conf.bak
sed -i 's/x/y/' missing.conf
echo "status $?"
ls
#### sed-errors
#@ needs: echo sed
echo a | sed 's/a/b'
echo "status $?"
echo a | sed 'k'
echo "status $?"
echo a | sed -n '/a/{p'
echo "status $?"
#### find-name-type
#@ needs: mkdir touch find sort
mkdir -p proj/src proj/test proj/.git
touch proj/src/main.go proj/src/util.go proj/test/main_test.go proj/README.md proj/.git/config
find proj -name '*.go' | sort
find proj -type d | sort
find proj -maxdepth 1 -type f
find proj -name .git -prune -o -type f -print | sort
find proj -path '*/test/*'
find proj -iname readme.MD
find nope
echo "status $?"
find proj -bogus
echo "status $?"
#### find-exec-delete
#@ needs: mkdir touch find ls sort
mkdir -p c/d
touch c/a.tmp c/b.txt c/d/e.tmp
find c -name '*.tmp' -exec echo removing {} \; | sort
find c -name '*.tmp' -delete
find c | sort
find c -type f -exec ls {} +
find c -empty | sort
#### xargs-forms
#@ needs: printf xargs echo touch ls
printf 'a b\nc\n' | xargs echo
printf 'a b\nc\n' | xargs -n1 echo item
printf 'one\ntwo\n' | xargs -I{} echo 'got {}'
printf 'f1 f2 f3' | xargs touch
ls
printf '' | xargs -r echo never
printf 'x\0y\0' | xargs -0 echo
printf 'a\n' | xargs nonexistent-cmd
echo "status $?"
printf 'a\n' | xargs false
echo "status $?"
#### which-and-env
#@ needs: which env
which sh >/dev/null && echo found-sh
which no-such-program
echo "status $?"
env -i FOO=bar env
env -i A=1 B=2 sh -c 'echo $A$B'
env nope-cmd
echo "status $?"
