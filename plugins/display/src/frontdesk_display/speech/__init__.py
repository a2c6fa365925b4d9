"""Speech for the waiting room and the kiosk, made on this server and never in a cloud.

``sentences`` words what is said (one function per kind of sentence, so the
wording can move into the language catalogs); ``audio`` reads, writes, joins
and makes WAV sound (the chime); ``synth`` runs espeak-ng; ``clips`` composes a
sentence from a municipality's recorded clips; ``service`` caches the sound on
disk and is what the rest of the display uses; ``announcer`` follows the event
log and tells the info screens what to say for each call.
"""
