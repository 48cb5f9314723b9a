#!/bin/sh
# Assemble one extension script from its per-concept fragments.
# usage: assemble-script.sh OUTPUT FRAGMENT...
set -e
out=$1; shift
name=$(basename "$out" .sql)
{
	echo "-- $name: generated from the fragments below."
	echo "-- Do not edit: edit the fragments named below instead (see docs/releasing.md)."
	echo
	printf '%s\n' '\echo Use "CREATE EXTENSION socialinvest" to load this file. \quit'
	for f in "$@"; do
		echo
		echo "-- ==== ${f#extension/} ===="
		cat "$f"
	done
} > "$out.tmp"
mv "$out.tmp" "$out"
