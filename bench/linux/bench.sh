# The Linux benchmarks' driver, run by `busybox sh` as the first process: on Debian's
# kernel by the initramfs's /init (bench/linux/native-init.sh), on the Linux personality
# as the server's program (bench/linux.system). Every line it prints that starts with
# BENCH is a result (bench/README.md); "BENCH done" ends the run.
/bench/lxbench /bin/busybox
/bench/benchsh /bin/busybox /bench/script.sh
echo "BENCH done"
