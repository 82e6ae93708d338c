"""`python -m journeyc`: the same start as the `journeyc` executable."""
from .launch import main

if __name__ == "__main__":
    main()
