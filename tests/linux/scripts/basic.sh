# A busybox shell script for the Linux personality: each line's output is compared with
# the same busybox running this script natively (tests/linux/run-native.sh). It runs in an
# empty scratch folder. Keep it deterministic: no times, pids, absolute paths, user names.
echo hello
echo hello | tr a-z A-Z
printf '%s-%d\n' abc 42
x=$(echo one two three | wc -w); echo "words: $x"
(exit 3); echo "status $?"
false | true; echo "pipeline $?"
sh -c 'exit 7'; echo "child $?"
test 2 -lt 10 && echo "2 < 10"
[ -z "" ] && echo empty
for w in pear apple fig; do echo $w; done | sort
i=0; while [ $i -lt 3 ]; do i=$((i + 1)); echo "loop $i"; done
mkdir -p d/e/f && echo made
printf 'b\na\nc\na\n' > d/list
cat d/list | sort | uniq -c | sed 's/^ *//'
sort -r d/list | head -n 2
tail -n 1 d/list
wc -l < d/list
grep -c a d/list
grep -n c d/list
echo 'x:y:z' | cut -d: -f2
echo 'hello world' | sed 's/world/there/'
printf '1 2\n3 4\n' | awk '{ s += $1 * $2 } END { print "sum", s }'
echo extra >> d/list; tail -n 2 d/list
ls -1 d
ls d | grep -c .
cp d/list d/copy && cmp d/list d/copy && echo same
mv d/copy d/moved && ls -1 d
ln -s list d/link && readlink d/link && cat d/link | wc -l
ln d/list d/hard && ls d | wc -l
touch d/e/new && find d -name new
chmod 600 d/moved && ls -l d/moved | cut -c1-10
find d -type f | sort | xargs wc -l | tail -n 1
echo 'compress me' | gzip -n | gunzip
echo abc | md5sum
seq 5 | paste -s -d+ | sed 's/$/=/'
echo "$((6 * 7))"
uname -s
env | grep -c '^PATH='
cd d/e && pwd | sed 's|.*/||' && cd ../..
rmdir d/e/f && ls -1 d/e
rm -r d && test ! -e d && echo gone
case foo in f*) echo matched;; *) echo no;; esac
cat <<END
here $((1 + 1))
END
echo done
