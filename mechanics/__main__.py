from mechanics.cli import main

main()
