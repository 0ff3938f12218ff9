#!/bin/bash
# vi.sh PATH LOG [DIR]: the driver of tests/linux/scenarios/vi.scn, busybox's vi on the
# terminal (the FIFO pair PATH.in, PATH.out; tty-lib.sh), in folder DIR (default /tmp).
# vi puts the terminal in raw mode (TCGETS, TCSETSW), asks its size (TIOCGWINSZ), waits
# for keys with poll and reads an escape sequence byte by byte, telling it from a lone
# ESC by a 50 ms poll timeout; on exit it puts the terminal back. Checked:
#   a new file: `i`, two lines of text, ESC, `:wq`; cat shows exactly the text, and the
#   terminal is as before vi (the same `stty -g`; `stty -a`: canonical, with echo);
#   an existing file: cursor down (ESC [ B), `dd`, `x`, `x`, `u`, `:wq`; cat shows
#   the line deleted, one character gone and the other back;
#   the window's size changed by another process while vi runs (SIGWINCH, redrawn);
#   `i`, text and ESC typed at once, then `:wq`.
# What vi shows is the text busybox's vi prints on Linux: tests/linux/serial/native.sh
# runs this same driver on a pseudo-terminal of the build machine (make test-unit).
set -u
export LC_ALL=C
. "$(dirname "$0")/tty-lib.sh"
tty_open vi "$1" "$2"
dir=${3:-/tmp}
E=$'\033'

wait_for '# ' 300 "the shell's prompt"
type_line "cd $dir && rm -f new.txt fast.txt win.txt && printf 'one\\ntwo\\nthree\\n' >old.txt && s=\$(stty -g) && echo rea''dy"
wait_for $'\r\nready\r\n' 30 "the files and the terminal's settings before vi"
wait_for '# ' 30 "the prompt"

# A new file.
type_line 'vi new.txt'
wait_for "$E[24;1H$E[K- new.txt 1/1 100%" 30 "vi's status line for a new file"
type_keys 'i'
wait_for "I new.txt" 30 "insert mode after i"
type_keys 'hello world\rsecond line'
wait_for "I new.txt [Modified] 2/2 100%" 30 "the status line after two lines typed"
# A lone ESC: vi waits 50 ms for more of a sequence, then takes it as ESC.
type_keys '\033'
wait_for "- new.txt [Modified] 2/2 100%" 30 "command mode after ESC"
type_keys ':wq\r'
wait_for "'new.txt' 2L, 24C" 30 "vi writing the new file"
wait_for "$E[?1049l" 30 "vi leaving the screen"
wait_for '# ' 30 "the prompt after vi"
type_line 'cat new.txt; echo end; [ "$(stty -g)" = "$s" ] && echo termios-restored; stty -a'
wait_for $'\r\nhello world\r\nsecond line\r\nend\r\ntermios-restored\r\n' 30 \
	"the new file's text, and the terminal's settings back as before vi"
wait_for 'isig icanon iexten echo echoe echok' 30 "stty -a after vi: canonical mode with echo"
wait_for '# ' 30 "the prompt"

# The window changes size while vi runs: another process's TIOCSWINSZ (stty, waiting in
# the background until vi's `:w` makes the file) sends vi SIGWINCH; it asks the size
# (TIOCGWINSZ) and redraws for 10 rows of 60 columns.
type_line '(until [ -e win.txt ]; do :; done; stty rows 10 cols 60) & vi win.txt'
wait_for "- win.txt 1/1 100%" 30 "vi's status line for win.txt"
type_keys ':w\r'
wait_for "$E[10;1H$E[K- win.txt 1/1 100%" 60 "vi redrawn for 10 rows after SIGWINCH"
type_keys ':q\r'
wait_for '# ' 30 "the prompt after vi"
type_line 'stty size; stty rows 24 cols 80'
wait_for $'\r\n10 60\r\n' 30 "the size stty set"
wait_for '# ' 30 "the prompt"

# An existing file: an arrow key, dd, x, x, u.
type_line 'vi old.txt'
wait_for "$E[24;1H$E[K- old.txt 1/3 33%" 30 "vi's status line for old.txt"
type_keys '\033[B'
wait_for "- old.txt 2/3 66%" 30 "cursor down (ESC [ B read as one key)"
type_keys 'dd'
wait_for "Delete 1 lines (4 chars)" 30 "dd on the second line"
type_keys 'xxu'
wait_for "Undo [3] restored 1 chars at position 4" 30 "u after x x"
type_keys ':wq\r'
wait_for "'old.txt' 2L, 9C" 30 "vi writing old.txt"
wait_for '# ' 30 "the prompt after vi"
type_line 'cat old.txt; echo end'
wait_for $'\r\none\r\nhree\r\nend\r\n' 30 "old.txt after dd, x, x, u"
wait_for '# ' 30 "the prompt"
# Keys typed at once, the ESC last (vi reads them all in one go, and then the lone ESC
# with its 50 ms wait). (Not the `:wq` too: busybox's vi takes ESC and what follows at
# once for an unknown sequence and waits on, on Linux as well.)
type_line 'vi fast.txt'
wait_for "- fast.txt 1/1 100%" 30 "vi's status line for fast.txt"
type_keys 'ifast\033'
wait_for "- fast.txt [Modified] 1/1 100%" 30 "command mode after i, text and ESC at once"
type_keys ':wq\r'
wait_for "'fast.txt' 1L, 5C" 30 "vi writing fast.txt"
wait_for '# ' 30 "the prompt after vi"
type_line 'cat fast.txt; echo end'
wait_for $'\r\nfast\r\nend\r\n' 30 "fast.txt"
wait_for '# ' 30 "the prompt"
type_line 'exit 0'
echo "vi: new file, existing file (arrow key, dd, x, u), SIGWINCH, typed ahead, terminal restored, as on Linux"
