# Arithmetic expansion.
#### basics
echo $((1+2)) $((7-10)) $((6*7)) $((7/2)) $((7%3)) $((-7/2)) $((-7%3))
#### precedence
echo $((1+2*3)) $(((1+2)*3)) $((2+3<<1)) $((1|2^3&4)) $((1<2==1)) $((10-2-3))
#### comparison-and-logic
echo $((3>2)) $((3<2)) $((2>=2)) $((2<=1)) $((1==1)) $((1!=1)) $((1&&0)) $((0||2)) $((!5)) $((!0))
#### bitwise
echo $((5&3)) $((5|3)) $((5^3)) $((~5)) $((1<<10)) $((1024>>3)) $((-16>>2))
#### ternary
echo $((1?2:3)) $((0?2:3)) $((1?0?4:5:6))
#### bases
echo $((010)) $((0x1f)) $((0X10)) $((0)) $((007))
#### variables
x=5; y=3; echo $((x+y)) $(($x*$y)) $((x*=2)) $x $((y+=x)) $y
#### assignment-ops
a=10; echo $((a-=3)) $((a/=2)) $((a%=2)) $((a<<=4)) $((a>>=1)) $((a|=1)) $((a&=5)) $((a^=7))
#### unset-and-empty-are-zero
unset u; e=; echo $((u+1)) $((e+1))
#### spaces-in-value
x=" 42 "; echo $((x+1))
#### negative-value
x=-3; echo $((x*2)) $((-x))
#### nested-arith
echo $(( $((2+3)) * $((1+1)) ))
#### arith-in-string
echo "sum: $((2+2))"
#### unary-plus-chain
x=3; echo $((++x)) $((--x)) $((+x)) $((- -x))
#### overflow-wraps
echo $((9223372036854775807+1)) $((-9223372036854775807-1))
#### huge-literal-saturates
echo $((99999999999999999999))
#### division-by-zero
echo $((1/0)); echo notreached
#### modulo-by-zero
x=0; echo $((5%x))
#### illegal-number-in-variable
x=abc; echo $((x+1))
#### expecting-eof
echo $((1 2))
#### expecting-primary
echo $((2**3))
#### comma-unsupported
echo $((1,2))
#### postfix-unsupported
x=1; echo $((x++))
#### expecting-paren
echo $(( (1+2 ))
#### missing-close
echo $((1+
#### short-circuit
echo $((0 && (z=1))) ${z-unset}; echo $((1 || (w=1))) ${w-unset}
#### ternary-short-circuit
echo $((1 ? (p=1) : (q=2))) ${p-u} ${q-u}
#### assign-chain
echo $((a=b=c=7)) $a $b $c
#### arith-with-command-subst
echo $(( $(echo 6) * 7 ))
#### loop-counter
i=0; while [ $i -lt 5 ]; do i=$((i+1)); done; echo $i
#### octal-08-error
echo $((08))
#### readonly-in-arith
readonly r=1; echo $((r=2))
