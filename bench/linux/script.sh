# The shell-script benchmark (bench/linux/benchsh.c times `busybox sh script.sh`): what an
# interactive user's commands cost, as one number. Pipelines, file churn in /tmp and gzip.
# It runs with PATH holding only busybox (applets by /proc/self/exe) and must exit 0.
set -e
d=/tmp/bench-script.$$
mkdir -p $d
cd $d
i=0
while [ $i -lt 20 ]; do
	echo "line $i of the benchmark file" >> data
	i=$((i + 1))
done
cat data | grep 1 | sort -r | uniq | wc -l > count
sed 's/line/LINE/' data | awk '{ n += length($0) } END { print n }' > len
for f in a b c d e f g h; do
	cp data $f.txt
	mv $f.txt $f.moved
	head -n 5 $f.moved | tail -n 2 > $f.part
done
ls | sort | tr a-z A-Z > listing
gzip -n -c data > data.gz
gunzip -c data.gz | md5sum > sum
[ "$(md5sum < data | cut -c1-32)" = "$(cut -c1-32 sum)" ]
find . -name '*.part' | xargs cat > parts
cd /
rm -r $d
