# Text tools: grep, sed, awk, sort, uniq, wc, head, tail, cut, tr, paste, seq, printf.
printf 'pear 3\napple 10\nfig 7\napple 2\nkiwi 10\n' > t
sort t
sort -k2,2n -k1,1 t
sort -u -k1,1 t | cut -d' ' -f1
cut -d' ' -f1 t | sort | uniq -c | sed 's/^ *//'
cut -d' ' -f1 t | sort | uniq -d
awk '{ s[$1] += $2 } END { for (k in s) print k, s[k] }' t | sort
awk -F' ' 'NR % 2 == 1 { print NR ": " $1 }' t
awk 'BEGIN { printf "%5.2f|%-4s|%x\n", 3.14159, "ab", 255 }'
grep -n apple t
grep -v apple t | wc -l
grep -c -E '^(pear|fig) ' t
grep -i APPLE t | head -n 1
grep -o '[0-9][0-9]*' t | paste -s -d,
sed -n '2,3p' t
sed -e 's/ /=/' -e '/kiwi/d' t
sed '1!G;h;$!d' t
head -n 2 t; tail -n 2 t
tail -n +4 t
wc t | awk '{ print $1, $2, $3 }'
tr a-z A-Z < t | head -n 1
echo 'hello   world' | tr -s ' '
echo 'hello world' | tr -d lo
echo 'a:b:c:d' | cut -d: -f2-3
echo 'abcdef' | cut -c2-4
seq 2 2 10 | paste -s -d' '
seq -w 8 10
printf '%03d %s %c\n' 7 word xyz
printf 'b\na\n' | sort -r
echo "one two three" | awk '{ print $NF, NF }'
echo "x=1;y=2" | sed 's/;/\n/' | sort
yes hi | head -n 3
printf 'l1\nl2\nl3\n' | sed -n '$p'
