#### run-config-edit
#@ needs: mkdir printf sed grep cat
mkdir -p etc/app
printf 'port=80\ndebug=true\n' > etc/app/app.conf
sed -i -e 's/^port=.*/port=8080/' -e '/^debug/d' etc/app/app.conf
grep -q port=8080 etc/app/app.conf && echo configured
cat etc/app/app.conf
#### run-set-eux-chain
#@ needs: mkdir echo cp chmod ls test
set -eu
mkdir -p build/bin
echo '#!/bin/sh' > build/bin/run
echo 'echo running' >> build/bin/run
chmod +x build/bin/run
cp build/bin/run app
test -x app && echo executable
ls build/bin
#### run-fails-stop
#@ needs: mkdir cp echo
set -e
mkdir out
cp missing.txt out/
echo "not reached"
#### run-loop-over-files
#@ needs: mkdir touch basename echo sort
mkdir conf.d
touch conf.d/10-a.conf conf.d/20-b.conf conf.d/notes.txt
for f in conf.d/*.conf; do
  echo "include $(basename "$f" .conf)"
done
#### run-version-parse
#@ needs: echo cut tr sed
VERSION=v1.22.3
echo "$VERSION" | cut -d. -f1 | tr -d v
echo "$VERSION" | sed -E 's/^v([0-9]+)\.([0-9]+).*/\1.\2/'
major=$(echo "$VERSION" | cut -c2- | cut -d. -f1)
echo "major=$major"
#### run-counting-lines
#@ needs: seq wc tr sort head
seq 100 > numbers
wc -l < numbers
grep -c 7 numbers
sort -rn numbers | head -3 | tr '\n' ' '
echo
