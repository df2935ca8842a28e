#### checksums
#@ needs: echo sha256sum md5sum sha1sum
echo hello > f
sha256sum f
md5sum f
sha1sum f
echo hello | sha256sum
sha256sum f > SUMS
sha256sum -c SUMS
echo tampered > f
sha256sum -c SUMS
echo "status $?"
rm SUMS
#### checksum-verify-idiom
#@ needs: echo sha256sum
echo data > pkg.tgz
echo "$(sha256sum pkg.tgz | cut -d' ' -f1)  pkg.tgz" | sha256sum -c -
echo "0000000000000000000000000000000000000000000000000000000000000000  pkg.tgz" | sha256sum -c -
echo "status $?"
#### gzip-roundtrip
#@ needs: echo gzip gunzip zcat cat ls
echo 'compress me' > f
gzip f
ls
zcat f.gz
gunzip f.gz
cat f
echo x | gzip | gunzip
gzip -c f > f.gz
gzip -d f.gz
echo "status $?"
rm f
gunzip f.gz
cat f
gzip nope
echo "status $?"
#### tar-create-extract
#@ needs: mkdir echo tar ls sort rm
mkdir -p site/css
echo '<h1>hi</h1>' > site/index.html
echo 'body{}' > site/css/app.css
tar -cf site.tar site
tar -tf site.tar | sort
mkdir out
tar -xf site.tar -C out
ls -R out | sort
tar czf site.tgz -C site .
mkdir out2
tar xzf site.tgz -C out2
cat out2/index.html
rm site.tar site.tgz
#### tar-errors
#@ needs: tar mkdir
tar -xf missing.tar
echo "status $?"
tar
echo "status $?"
tar -cf empty.tar
echo "status $?"
mkdir d
tar -cf x.tar d nope
echo "status $?"
rm -f x.tar
