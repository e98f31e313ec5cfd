OSSFuseCommand.main()
