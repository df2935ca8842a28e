# Basic words, quoting and exit status.
#### echo
echo hello world
#### quotes
echo 'single $HOME' "double $HOME" \$escaped
#### status
false; echo $?; true; echo $?
#### not-found
nosuchcommand_zz; echo "status $?"
#### syntax-error
echo before
if then
