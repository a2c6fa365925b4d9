"""frontdesk plugin: tickets printed on ESC/POS receipt printers."""
