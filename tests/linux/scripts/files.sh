# Files and folders: mkdir, rmdir, touch, cp, mv, ln, rm, chmod, find, xargs, cat, gzip,
# gunzip, md5sum, cmp, stat-like listings without owners or times.
mkdir -p a/b/c a/x && ls -1 a
touch a/b/one a/b/two a/x/three && find a -type f | sort
find a -type d | sort
find a -name 't*' | sort | xargs -n 1 basename
printf 'hello\n' > a/f && cp a/f a/g && cmp a/f a/g && echo "copies equal"
cp -r a/b a/b2 && find a/b2 | sort
mv a/b2 a/moved && test ! -e a/b2 && test -d a/moved && echo "folder moved"
mv a/g a/moved/g && cat a/moved/g
ln -s ../f a/x/link && readlink a/x/link && cat a/x/link
ln a/f a/hard && echo more >> a/hard && cat a/f
ls -l a/x/link | cut -c1-10
chmod 751 a/f && ls -l a/f | cut -c1-10
chmod u-w,g+w a/f && ls -l a/f | cut -c1-10
chmod 644 a/f && ls -ld a/b | cut -c1-10
rm a/b/one && ls -1 a/b
rmdir a/b/c && ls -1 a/b
rmdir a/b 2>/dev/null || echo "not empty"
rm -r a/moved && ls -1 a
rm -f a/none && echo "rm -f is quiet"
cat a/nothing 2>&1 | sed 's/^cat: //'
printf 'x%.0s' 1 2 3 4 5 6 7 8 9 10 > a/ten && wc -c < a/ten
head -c 4 a/ten; echo
seq 1 1000 > a/big && wc -l a/big | sed 's/ .*//'
gzip -n a/big && ls -1 a | grep big
gunzip a/big.gz && md5sum a/big | cut -c1-32
gzip -n -c a/big | gunzip -c | tail -n 1
seq 3 | gzip -n | md5sum | cut -c1-32
find a -type f | xargs cat | wc -l
echo a/f a/ten | xargs ls -1
mkdir -p 'sp ace' && touch 'sp ace/f 1' && find 'sp ace' -type f
rm -r a 'sp ace' && ls -A | wc -l
