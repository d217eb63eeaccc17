#!/usr/bin/perl
# sheet2xls.pl IN.sheet OUT.xls: the legacy .xls (BIFF8) of a sheet
# description (tests/tools/wbgen.c says the format), written by Debian's
# Spreadsheet::WriteExcel: text, numbers, date cells formatted yyyy-mm-dd,
# booleans as 1/0 numbers, merged ranges.
use strict;
use warnings;
use utf8;
use Encode qw(decode);
use Spreadsheet::WriteExcel;

my ($in, $out) = @ARGV;
die "usage: sheet2xls.pl IN.sheet OUT.xls\n" unless defined $out;
open(my $fh, '<:encoding(UTF-8)', $in) or die "cannot open $in: $!\n";
my $wb = Spreadsheet::WriteExcel->new($out) or die "cannot create $out: $!\n";
my $date = $wb->add_format(num_format => 'yyyy-mm-dd');
my ($ws, $row, @merges);

sub flush_merges {
	for my $m (@merges) {
		my ($ref, $first) = @$m;
		$ws->merge_range($ref, $first, $wb->add_format());
	}
	@merges = ();
}

my @rows;
while (my $line = <$fh>) {
	chomp $line;
	$line =~ s/\r$//;
	if ($line =~ /^#sheet (.*)$/) {
		flush_merges() if $ws;
		$ws = $wb->add_worksheet($1);
		$row = 0;
		@rows = ();
		next;
	}
	$ws //= $wb->add_worksheet('Sheet1');
	$row //= 0;
	if ($line =~ /^#merge (\S+)$/) {
		my $ref = $1;
		my ($c, $r) = $ref =~ /^([A-Z]+)(\d+)/;
		my $col = 0;
		$col = $col * 26 + ord($_) - 64 for split //, $c;
		my $cell = $rows[$r - 1] ? $rows[$r - 1][$col - 1] : undef;
		my $first = defined $cell && $cell =~ /^s:(.*)$/s ? $1 : '';
		push @merges, [$ref, $first];
		next;
	}
	my @cells = split /\t/, $line, -1;
	push @rows, [@cells];
	for my $c (0 .. $#cells) {
		my $cell = $cells[$c];
		next unless $cell =~ /^([sndbe]):(.*)$/s;
		my ($t, $v) = ($1, $2);
		$v =~ s/\\(.)/$1 eq 'n' ? "\n" : $1 eq 't' ? "\t" : $1/ge;
		if ($t eq 's') {
			$ws->write_string($row, $c, $v);
		} elsif ($t eq 'n' || $t eq 'b') {
			$ws->write_number($row, $c, $v);
		} elsif ($t eq 'd') {
			$ws->write_date_time($row, $c, $v . 'T', $date);
		}
	}
	$row++;
}
flush_merges() if $ws;
$wb->close() or die "cannot write $out\n";
