/*
 * The PC's battery-backed clock (MC146818 in the CMOS), read once at boot for the time
 * of day; from then on the timer ticks carry it (kern/host_server.c). Registers: 0x00
 * seconds, 0x02 minutes, 0x04 hours, 0x07 day, 0x08 month, 0x09 year, 0x32 century
 * (where there is one), status A 0x0a (bit 7: an update is in progress) and status B
 * 0x0b (bit 2: binary instead of BCD; bit 1: 24-hour instead of 12-hour).
 */
#include <arch/cpu.h>
#include <arch/rtc.h>

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define NMI_OFF		0x80	/* kept set while selecting a register */

struct rtc_time {
	int sec, min, hour, day, month, year, century;
};

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_INDEX, NMI_OFF | reg);
	return inb(CMOS_DATA);
}

static void read_raw(struct rtc_time *t)
{
	/* An update takes under 2 ms and is flagged 244 us ahead: wait it out (bounded). */
	for (int i = 0; i < 100000 && (cmos(0x0a) & 0x80); i++)
		;
	t->sec = cmos(0x00);
	t->min = cmos(0x02);
	t->hour = cmos(0x04);
	t->day = cmos(0x07);
	t->month = cmos(0x08);
	t->year = cmos(0x09);
	t->century = cmos(0x32);
}

static int from_bcd(int v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian): whole years of 365 days plus
 * their leap days, then the months of this year. */
static int64_t days_since_epoch(int y, int m, int d)
{
	static const int before_month[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	int64_t years = y - 1970;
	int64_t leaps = (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400 - (1969 / 4 - 1969 / 100 + 1969 / 400);
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return years * 365 + leaps + before_month[m - 1] + (leap && m > 2) + (d - 1);
}

int64_t rtc_read_unix_time(void)
{
	struct rtc_time a, b;
	uint8_t status_b = cmos(0x0b);
	bool pm;

	/* Two equal reads in a row: none of the fields moved in between. */
	read_raw(&b);
	do {
		a = b;
		read_raw(&b);
	} while (a.sec != b.sec || a.min != b.min || a.hour != b.hour || a.day != b.day ||
		 a.month != b.month || a.year != b.year);
	pm = !(status_b & 0x02) && (a.hour & 0x80);
	a.hour &= 0x7f;
	if (!(status_b & 0x04)) {
		a.sec = from_bcd(a.sec);
		a.min = from_bcd(a.min);
		a.hour = from_bcd(a.hour);
		a.day = from_bcd(a.day);
		a.month = from_bcd(a.month);
		a.year = from_bcd(a.year);
		a.century = from_bcd(a.century);
	}
	if (!(status_b & 0x02))		/* 12-hour clock: 12 AM is 0, 12 PM is 12 */
		a.hour = a.hour % 12 + (pm ? 12 : 0);
	/* A plausible century register, else this century. */
	a.year += (a.century >= 19 && a.century <= 99 ? a.century : 20) * 100;
	if (a.month < 1 || a.month > 12 || a.day < 1 || a.day > 31 || a.hour > 23 || a.min > 59 ||
	    a.sec > 59)
		return 0;	/* no clock, or garbage: time starts at the epoch */
	return days_since_epoch(a.year, a.month, a.day) * 86400 + a.hour * 3600 + a.min * 60 + a.sec;
}
